import { hostname } from 'node:os';
import type { Config } from '../../config.ts';
import { findTip } from '../../content/index.ts';
import { senderFor } from '../../mailer/compose.ts';
import { domainOf, toNodemailer } from '../../mailer/headers.ts';
import { createResolver } from '../../mailer/resolver.ts';
import { classifySmtpError, dkimSigning, isLoopbackHost, smtpTransportOptions } from '../../mailer/smtp-options.ts';
import type { Project } from '../../render/project.ts';
import { probeUnsubscribeUrl } from '../../subscription/links.ts';
import { sampleTipMessage } from '../sample-messages.ts';
import { checkBounceMx } from './bounce-mx.ts';
import { checkDkim } from './dkim.ts';
import { checkDmarc } from './dmarc.ts';
import { dnsOver, DnsError, type Dns } from './dns.ts';
import { domainOfAddress } from './domains.ts';
import { checkEndToEnd } from './end-to-end.ts';
import { fail, type Finding } from './finding.ts';
import { checkRelay } from './relay.ts';
import { checkSite } from './site.ts';
import { checkSpf } from './spf.ts';

export { failed, formatFinding, type Finding } from './finding.ts';

export interface DoctorInput {
  config: Config;
  project: Pick<Project, 'series' | 'tips' | 'renderer'>;
  /** The link-signing key: the probe token must be one the site accepts. */
  secret: string;
  now: Date;
  /** Stops the checks (a `start` shutting down while its boot check runs). */
  signal?: AbortSignal;
}

/** The name the relay says EHLO with, as nodemailer picks it: this host's name, or its address in brackets. */
function heloName(ip: string | undefined): string {
  const name = hostname();
  return name.includes('.') ? name : ip ? `[${ip}]` : name;
}

/** A check that could not finish (DNS down, a crash) is a ✗ with what went wrong, not a stack trace. */
async function guarded(check: string, run: () => Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await run();
  } catch (e) {
    const why = e instanceof DnsError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    const fix =
      e instanceof DnsError
        ? 'check that the DNS servers (NEWSLETTER_DNS_SERVERS, else the system’s) answer, and run doctor again'
        : 'run doctor again; if it persists, report it with this line';
    return [fail(check, `could not be checked: ${why}`, fix)];
  }
}

/**
 * Every check `newsletter doctor` runs, in the order a reader's mail meets them: the DNS records
 * (SPF, DKIM, DMARC, the bounce domain's MX), the relay, the public site, then week 1 signed
 * and verified end to end. DNS goes through NEWSLETTER_DNS_SERVERS (else the system's).
 */
export async function runDoctor(input: DoctorInput): Promise<Finding[]> {
  const { config, project, secret, now, signal } = input;
  const resolver = createResolver(config.dnsServers);
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  const dns: Dns = dnsOver(resolver);
  const mailauthResolver = (name: string, type: string) => dns.raw(name, type);
  const sender = senderFor(project.series, config.from);
  const fromDomain = domainOf(sender.from);
  const envelopeDomain = config.bounceAddress ? domainOfAddress(config.bounceAddress) : fromDomain;
  const helo = heloName(config.sendingIp);
  const { spf } = (await import('mailauth/lib/spf/index.js')).default;

  const findings: Finding[] = [];
  findings.push(
    ...(await guarded('SPF', () =>
      checkSpf({
        domain: envelopeDomain,
        sendingIp: config.sendingIp,
        dns,
        covers: async (domain, ip) => {
          const r = await spf({
            sender: `postmaster@${domain}`,
            ip,
            helo,
            mta: 'newsletter-doctor',
            resolver: mailauthResolver,
          });
          return { result: r.status.result, ...(r.status.comment ? { explanation: r.status.comment } : {}) };
        },
      }),
    )),
    ...(await guarded('DKIM', () => checkDkim({ dkim: config.dkim, fromDomain, dns }))),
    ...(await guarded('DMARC', () =>
      checkDmarc({ fromDomain, spfDomain: envelopeDomain, dkimDomain: config.dkim?.domain, dns }),
    )),
    ...(await guarded('bounce domain', () => checkBounceMx(config.bounceAddress, dns))),
    ...(await guarded('relay', () => relayCheck(config, signal))),
    ...(await guarded('site', () =>
      checkSite({ baseUrl: config.baseUrl, probeUrl: probeUnsubscribeUrl(config.baseUrl, secret, now), signal }),
    )),
    ...(await guarded('end to end', () =>
      checkEndToEnd({
        message: () => weekOne(input),
        sendingIp: config.sendingIp,
        helo,
        authenticate: async (raw, options) =>
          (await import('mailauth')).default.authenticate(raw, {
            ...options,
            mta: 'newsletter-doctor',
            resolver: mailauthResolver,
            disableBimi: true,
          }),
      }),
    )),
  );
  return findings;
}

/** The relay checks (exported for its tests), with a login as a send makes it (the same transport options, no pool, no DKIM). */
export function relayCheck(config: Config, signal?: AbortSignal): Promise<Finding[]> {
  const url = config.smtpUrl;
  const host = url ? new URL(url).hostname : '';
  return checkRelay({
    url,
    plainAllowed: isLoopbackHost(host) || Boolean(config.smtpAuthWithoutTls),
    signal,
    login: async () => {
      const nodemailer = (await import('nodemailer')).default;
      const options = smtpTransportOptions({
        url: url!,
        pool: 1,
        // A relay that stops answering fails the check in seconds, not after RFC 5321's minutes.
        timeoutMs: 10_000,
        ...(config.smtpAuthWithoutTls ? { authWithoutTls: true } : {}),
      });
      const transport = nodemailer.createTransport({ ...options, pool: false });
      try {
        await transport.verify();
      } finally {
        transport.close();
      }
    },
    explain: (e) => {
      const classified = classifySmtpError(e);
      return classified.about.advice ?? classified.response;
    },
  });
}

/**
 * Week 1 for a made-up reader, composed as the dispatcher composes a tip (its links, its return
 * path, its headers) and signed with the DKIM options every send uses; the raw message.
 */
async function weekOne({ config, project, secret, now }: DoctorInput): Promise<{ raw: Buffer; envelopeFrom: string }> {
  const tip = findTip(project.tips, '1') ?? project.tips[0];
  if (!tip) throw new Error('there is no tip to send; add one with `newsletter new`');
  const reader = { publicId: 'doctor', email: 'reader@example.com', name: null };
  const { message, envelopeFrom } = await sampleTipMessage(project, config, tip, reader, secret, now);
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    ...(config.dkim ? { dkim: dkimSigning(config.dkim) } : {}),
  });
  const info = await transport.sendMail(toNodemailer(message));
  return { raw: info.message as Buffer, envelopeFrom };
}
