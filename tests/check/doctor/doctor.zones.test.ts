import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, type Certificate } from '../../support/certificate.ts';
import { startDnsServer, type DnsServer, type Zone } from '../../support/dns-server.ts';
import { startHttpsProxy, type HttpsProxy } from '../../support/https-proxy.ts';
import { newsletterProcess } from '../../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../../support/temp-project.ts';
import { useHarness } from '../../web/harness.ts';
import { BOUNCE_DOMAIN, FROM_DOMAIN, SELECTOR, SENDING_IP, elevenLookups, goodZone, rsaKey } from './zones.ts';

/**
 * `newsletter doctor` as an operator runs it (its own process), against a real DNS server on a
 * loopback port, a real relay with STARTTLS and a login, and the real site behind TLS. The
 * certificate is made at test time and trusted by the doctor's process only (NODE_EXTRA_CA_CERTS),
 * as a public CA's would be. Each broken zone is the good zone with one thing wrong: each gives
 * its line, the record to publish where one is missing or wrong, and exit 1.
 */
// Each case is a process that loads the project and renders week 1 (the first one compiles it):
// seconds alone, more beside the rest of the suite on two cores.
describe('newsletter doctor: one zone set up right, and each way it goes wrong', { timeout: 120_000 }, () => {
  const site = useHarness();
  let dns: DnsServer;
  let cert: Certificate;
  let proxy: HttpsProxy;
  let relay: SmtpSink;
  let temp: TempProject;
  const key = rsaKey(2048);
  const other = rsaKey(2048);
  const weak = rsaKey(1024);
  // Node (OpenSSL 3) still makes a 512-bit RSA key: what an old setup may have published.
  const tiny = rsaKey(512);

  beforeAll(async () => {
    cert = selfSignedCertificate();
    dns = await startDnsServer();
    relay = await startSmtpSink({ starttls: true, tls: cert });
    proxy = await startHttpsProxy(site.url, cert);
    temp = await tempProject();
    await writeFile(path.join(temp.dir, 'dkim.pem'), key.pem);
    await writeFile(path.join(temp.dir, 'weak.pem'), weak.pem);
    await writeFile(path.join(temp.dir, 'tiny.pem'), tiny.pem);
  });
  afterAll(async () => {
    await proxy?.close();
    await relay?.close();
    await dns?.close();
    await temp?.cleanup();
    cert?.cleanup();
  });

  /** Runs `newsletter doctor` with the zone served and the settings of a sender set up right (`env` overrides). */
  async function doctor(zone: Zone, env: Record<string, string> = {}, args: string[] = []) {
    dns.serve(zone);
    const run = newsletterProcess(temp.dir, ['doctor', ...args], {
      NODE_EXTRA_CA_CERTS: cert.certFile,
      NEWSLETTER_DNS_SERVERS: dns.address,
      NEWSLETTER_SENDING_IP: SENDING_IP,
      NEWSLETTER_BOUNCE_ADDRESS: `bounces@${BOUNCE_DOMAIN}`,
      NEWSLETTER_DKIM_DOMAIN: FROM_DOMAIN,
      NEWSLETTER_DKIM_SELECTOR: SELECTOR,
      NEWSLETTER_DKIM_KEY_FILE: 'dkim.pem',
      NEWSLETTER_SMTP_URL: relay.url.replace('smtp://', 'smtp://newsletter:relay-password@'),
      NEWSLETTER_BASE_URL: proxy.url,
      ...env,
    });
    const exit = await run.done;
    return { code: exit.code, out: exit.stdout, err: exit.stderr };
  }

  it('a sender set up right: every line ✓, the Authentication-Results a receiver adds, exit 0', async () => {
    const { code, out, err } = await doctor(goodZone(key.p));
    expect(err).toBe('');
    expect(out).toContain(
      `✓ SPF: ${BOUNCE_DOMAIN} "v=spf1 ip4:${SENDING_IP} include:_spf.relay.example -all": 2 of 10 DNS lookups, ends in -all`,
    );
    expect(out).toContain(`✓ SPF: ${BOUNCE_DOMAIN} lets ${SENDING_IP} send (pass)`);
    expect(out).toContain(`✓ DKIM: ${SELECTOR}._domainkey.${FROM_DOMAIN} publishes the public half of`);
    expect(out).toContain('✓ DKIM: the key has 2048 bits');
    expect(out).toContain(`✓ DKIM: d=${FROM_DOMAIN} is aligned strict and relaxed with the From domain ${FROM_DOMAIN}`);
    expect(out).toContain(`✓ DMARC: _dmarc.${FROM_DOMAIN}: policy p=quarantine`);
    expect(out).toContain(`✓ DMARC: aggregate reports go to mailto:dmarc@${FROM_DOMAIN}`);
    expect(out).toContain(
      `✓ DMARC: SPF ${BOUNCE_DOMAIN} with From ${FROM_DOMAIN}: strict no, relaxed yes; the record asks relaxed (aspf=r)`,
    );
    expect(out).toContain(`✓ bounce domain: ${BOUNCE_DOMAIN} takes mail (MX 10 mx.${FROM_DOMAIN})`);
    expect(out).toMatch(
      /✓ relay: 127\.0\.0\.1:\d+ answers EHLO and offers STARTTLS, certificate valid for 127\.0\.0\.1/,
    );
    expect(out).toMatch(/✓ relay: 127\.0\.0\.1:\d+ accepted the login of newsletter/);
    expect(out).toContain(`✓ site: ${proxy.url}/healthz answers 200`);
    expect(out).toContain('✓ site: one-click unsubscribe answers a POST with 200 (a probe: nothing changed)');
    expect(out).toMatch(/✓ end to end: SPF pass .* from 192\.0\.2\.25/);
    expect(out).toContain(`✓ end to end: DKIM pass d=${FROM_DOMAIN} s=${SELECTOR}`);
    expect(out).toContain('✓ end to end: DMARC pass');
    expect(out).toContain('✓ end to end: ARC none');
    expect(out).toMatch(/Authentication-Results: newsletter-doctor;\n\s+dkim=pass/);
    expect(out).not.toMatch(/^[⚠✗]/m);
    expect(out).toMatch(/^✓ doctor: \d+ ✓, 0 ⚠, 0 ✗$/m);
    expect(code).toBe(0);
    // Nothing was sent through the relay, and the probe changed nobody.
    expect(relay.received).toHaveLength(0);
  });

  it('--json: every finding for scripts, ok true', async () => {
    const { code, out } = await doctor(goodZone(key.p), {}, ['--json']);
    const report = JSON.parse(out) as { ok: boolean; findings: { check: string; verdict: string }[] };
    expect(report.ok).toBe(true);
    expect(new Set(report.findings.map((f) => f.check))).toEqual(
      new Set(['SPF', 'DKIM', 'DMARC', 'bounce domain', 'relay', 'site', 'end to end']),
    );
    expect(code).toBe(0);
  });

  it('no SPF record: ✗ with the exact record to publish', async () => {
    const zone = goodZone(key.p);
    zone[BOUNCE_DOMAIN] = { ...zone[BOUNCE_DOMAIN], TXT: ['google-site-verification=abc'] };
    const { code, out } = await doctor(zone);
    expect(out).toContain(`✗ SPF: ${BOUNCE_DOMAIN} has no SPF record, so receivers cannot tell who may send its mail`);
    expect(out).toContain(`    publish: ${BOUNCE_DOMAIN}. TXT "v=spf1 ip4:${SENDING_IP} -all"`);
    expect(out).toMatch(/✗ end to end: SPF none/);
    expect(code).toBe(1);
  });

  it('two SPF records: ✗, both shown', async () => {
    const zone = goodZone(key.p);
    zone[BOUNCE_DOMAIN] = { ...zone[BOUNCE_DOMAIN], TXT: [`v=spf1 ip4:${SENDING_IP} -all`, 'v=spf1 mx ~all'] };
    const { code, out } = await doctor(zone);
    expect(out).toContain(`✗ SPF: ${BOUNCE_DOMAIN} has 2 SPF records; receivers treat that as a permanent error`);
    expect(out).toContain('    found: "v=spf1 mx ~all"');
    expect(code).toBe(1);
  });

  it('11 DNS lookups: ✗ over the limit of 10', async () => {
    const { code, out } = await doctor(elevenLookups(goodZone(key.p)));
    expect(out).toContain(`✗ SPF: ${BOUNCE_DOMAIN}: 11 DNS lookups, over the limit of 10`);
    expect(out).toMatch(/✗ end to end: SPF permerror/);
    expect(code).toBe(1);
  });

  it('SPF that does not cover NEWSLETTER_SENDING_IP: ✗ with the record that adds it', async () => {
    const { code, out } = await doctor(goodZone(key.p), { NEWSLETTER_SENDING_IP: '203.0.113.9' });
    expect(out).toContain(`✗ SPF: ${BOUNCE_DOMAIN} does not cover NEWSLETTER_SENDING_IP 203.0.113.9 (fail`);
    expect(out).toContain(
      `    publish: ${BOUNCE_DOMAIN}. TXT "v=spf1 ip4:${SENDING_IP} include:_spf.relay.example ip4:203.0.113.9 -all"`,
    );
    expect(code).toBe(1);
  });

  it("a DKIM record that is not the configured key's: ✗ with the right record", async () => {
    const { code, out } = await doctor(goodZone(other.p));
    expect(out).toContain(`✗ DKIM: ${SELECTOR}._domainkey.${FROM_DOMAIN} publishes a key that does not match`);
    expect(out).toContain(
      `    publish: ${SELECTOR}._domainkey.${FROM_DOMAIN}. TXT "v=DKIM1; k=rsa; p=${key.p.slice(0, 200)}`,
    );
    expect(out).toMatch(/✗ end to end: DKIM fail/);
    expect(code).toBe(1);
  });

  it('a 512-bit key: ✗ under 1024', async () => {
    const { code, out } = await doctor(goodZone(tiny.p), { NEWSLETTER_DKIM_KEY_FILE: 'tiny.pem' });
    expect(out).toContain('✗ DKIM: the key has 512 bits; receivers reject keys under 1024');
    expect(code).toBe(1);
  });

  it('a 1024-bit key: ⚠ under 2048, and still exit 0', async () => {
    const { code, out } = await doctor(goodZone(weak.p), { NEWSLETTER_DKIM_KEY_FILE: 'weak.pem' });
    expect(out).toContain('⚠ DKIM: the key has 1024 bits; 2048 is what Gmail asks for');
    expect(out).toContain(`✓ end to end: DKIM pass d=${FROM_DOMAIN}`);
    expect(code).toBe(0);
  });

  it('no DKIM key configured: ✗ saying how to make one, and the record', async () => {
    const { code, out } = await doctor(goodZone(key.p), {
      NEWSLETTER_DKIM_DOMAIN: '',
      NEWSLETTER_DKIM_SELECTOR: '',
      NEWSLETTER_DKIM_KEY_FILE: '',
    });
    expect(out).toContain('✗ DKIM: no signing key configured');
    expect(out).toContain('openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim/private.pem');
    expect(out).toContain(`    publish: ncw._domainkey.${FROM_DOMAIN}. TXT "v=DKIM1; k=rsa; p=`);
    expect(out).toContain('✗ end to end: DKIM none');
    expect(code).toBe(1);
  });

  it('no DMARC record: ✗ with a record to start from', async () => {
    const zone = goodZone(key.p);
    delete zone[`_dmarc.${FROM_DOMAIN}`];
    const { code, out } = await doctor(zone);
    expect(out).toContain(`✗ DMARC: _dmarc.${FROM_DOMAIN} has no DMARC record`);
    expect(out).toContain(
      `    publish: _dmarc.${FROM_DOMAIN}. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${FROM_DOMAIN}"`,
    );
    expect(out).toMatch(/✗ end to end: DMARC none/);
    expect(code).toBe(1);
  });

  it('DMARC without rua=: ⚠, exit 0', async () => {
    const zone = goodZone(key.p);
    zone[`_dmarc.${FROM_DOMAIN}`] = { TXT: ['v=DMARC1; p=reject'] };
    const { code, out } = await doctor(zone);
    expect(out).toContain('⚠ DMARC: no rua=');
    expect(out).toContain(
      `    publish: _dmarc.${FROM_DOMAIN}. TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@${FROM_DOMAIN}"`,
    );
    expect(code).toBe(0);
  });

  it('d= not aligned with From: ✗ on DKIM; DMARC holds by SPF alone (⚠)', async () => {
    const zone = {
      ...goodZone(key.p),
      [`${SELECTOR}._domainkey.relay.example`]: { TXT: [`v=DKIM1; k=rsa; p=${key.p}`] },
    };
    const { code, out } = await doctor(zone, { NEWSLETTER_DKIM_DOMAIN: 'relay.example' });
    expect(out).toContain(`✗ DKIM: d=relay.example is not aligned with the From domain ${FROM_DOMAIN}`);
    expect(out).toContain(`⚠ DMARC: DKIM d=relay.example with From ${FROM_DOMAIN}: strict no, relaxed no`);
    expect(out).toContain('✓ end to end: DKIM pass d=relay.example');
    expect(code).toBe(1);
  });

  it('strict alignment asked, a bounce subdomain: SPF not aligned (⚠), DKIM carries DMARC', async () => {
    const zone = goodZone(key.p);
    zone[`_dmarc.${FROM_DOMAIN}`] = { TXT: [`v=DMARC1; p=reject; aspf=s; rua=mailto:dmarc@${FROM_DOMAIN}`] };
    const { code, out } = await doctor(zone);
    expect(out).toContain(
      `⚠ DMARC: SPF ${BOUNCE_DOMAIN} with From ${FROM_DOMAIN}: strict no, relaxed yes; the record asks strict (aspf=s)`,
    );
    expect(out).toContain('✓ end to end: DMARC pass');
    expect(code).toBe(0);
  });

  it('a bounce domain without MX: ✗', async () => {
    const zone = goodZone(key.p);
    zone[BOUNCE_DOMAIN] = { TXT: zone[BOUNCE_DOMAIN]!.TXT! };
    const { code, out } = await doctor(zone);
    expect(out).toContain(`✗ bounce domain: ${BOUNCE_DOMAIN} has no MX record`);
    expect(code).toBe(1);
  });

  it('a site on plain http: ✗ https', async () => {
    const { code, out } = await doctor(goodZone(key.p), { NEWSLETTER_BASE_URL: site.url });
    expect(out).toContain(`✗ site: NEWSLETTER_BASE_URL ${site.url} is not https`);
    expect(out).toContain('✓ site: one-click unsubscribe answers a POST with 200');
    expect(code).toBe(1);
  });
});
