import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { withoutAddresses } from '../redact.ts';
import { SendError } from './mailer.ts';
import { DKIM_SIGNED_FIELDS } from './headers.ts';
import { classifyMailStatus, replyCodes, senderAdvice, type StatusStage } from './smtp-status.ts';
import { smtpTimeouts } from './smtp-timeouts.ts';

/**
 * What both SMTP mailers share and the dispatcher's process needs without loading nodemailer
 * (the threaded pool loads it in its thread only): the pool's options from the URL, and how a
 * server's answer or a connection failure is classified.
 */
export interface SmtpOptions {
  url: string;
  pool: number;
  /** Most messages per second over all connections. */
  rate?: number;
  dkim?: { domain: string; selector: string; keyFile: string };
  /** Tests only: milliseconds to connect, four times that for an answer; unset, RFC 5321's (see smtp-timeouts.ts). */
  timeoutMs?: number;
  /**
   * NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: log in to a relay that offers no TLS although it is not on
   * this machine (a relay container on a private network the operator trusts). Off: credentials
   * go to a non-loopback relay only over TLS.
   */
  authWithoutTls?: boolean;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EPROTOCOL', 'EMAXLIMIT']);
/** Node's TLS verification failures: not the relay's passing trouble, and never worth a password. */
const CERTIFICATE = /certificate|self[- ]signed|\bCERT_|altnames|UNABLE_TO_(VERIFY|GET)/i;
/** The server cannot be reached at all: refused, unknown host, no route. */
const UNREACHABLE = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/;

/** Where in the conversation nodemailer's `command` is (see smtp-status.ts). */
function stageOf(command: string | undefined): StatusStage {
  if (command === 'RCPT TO') return 'recipient';
  if (command === 'DATA') return 'message';
  return 'session';
}

/** The fields of a nodemailer error the classification reads. */
interface NodemailerError {
  responseCode?: number;
  code?: string;
  response?: string;
  message?: string;
  command?: string;
}

/**
 * Failures of the connection or its set-up (unreachable, login, certificate, TLS), before any
 * answer about mail: all the sender's, stopping the pass. The first rule that matches decides.
 */
const SETUP_FAILURES: readonly { matches(e: NodemailerError): boolean; error(shown: string): SendError }[] = [
  {
    matches: (e) => e.code === 'EDNS' || UNREACHABLE.test(e.message ?? ''),
    error: (shown) => new SendError('unavailable', shown, true),
  },
  {
    matches: (e) => e.code === 'EAUTH' || e.code === 'ENOAUTH',
    error: (shown) =>
      new SendError('unavailable', shown, false, {
        advice: `the relay refused the login (${shown}): check the user and password in NEWSLETTER_SMTP_URL`,
      }),
  },
  {
    matches: (e) => CERTIFICATE.test(e.message ?? ''),
    error: (shown) =>
      new SendError('unavailable', shown, true, {
        advice: `the relay's TLS certificate does not verify (${shown}): name the relay in NEWSLETTER_SMTP_URL by the host its certificate is for, or have its certificate renewed`,
      }),
  },
  {
    matches: (e) => e.command === 'STARTTLS' || e.code === 'ETLS',
    error: (shown) =>
      new SendError('unavailable', shown, true, {
        advice: `TLS with the relay failed (${shown}); with a password in NEWSLETTER_SMTP_URL the newsletter never logs in without TLS: use a relay that offers STARTTLS, or smtps://…:465; for a relay on a network you trust, set NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1`,
      }),
  },
];

/**
 * Sorts a nodemailer failure into what the dispatcher does next, by whose fault it is (the table
 * in smtp-status.ts): the reader's address (permanent), the reader's mailbox for now (temporary),
 * the relay for now (relay: a 421, a dropped or timed-out connection) or the sender and its relay
 * (unavailable: unreachable, login or TLS refused, 5.7.x policy, 5.4.x quota, 5.3.x system).
 */
export function classifySmtpError(error: unknown): SendError {
  const e = error as NodemailerError;
  const response = (e.response ?? e.message ?? String(error)).slice(0, 500);
  const code = e.responseCode;
  const shown = code ? response : `${e.code ?? 'error'}: ${response}`;
  const setup = SETUP_FAILURES.find((rule) => rule.matches(e));
  if (setup) return setup.error(shown);
  if (code === undefined) {
    // No answer from the server: a dropped or timed-out connection is the relay's, for now.
    const connection = Boolean(e.code && CONNECTION_CODES.has(e.code));
    return new SendError(connection ? 'relay' : 'temporary', shown, connection);
  }
  return fromAnswer(e, code, response, shown);
}

/** A failure the server answered with a reply code: classified by smtp-status.ts's table. */
function fromAnswer(e: NodemailerError, code: number, response: string, shown: string): SendError {
  const stage = stageOf(e.command);
  const verdict = classifyMailStatus({ basic: code, enhanced: replyCodes(response).enhanced, stage });
  if (verdict.party === 'reader-permanent') return new SendError('permanent', shown);
  if (verdict.party === 'sender-temporary')
    return new SendError('relay', shown, code === 421, { recipient: stage !== 'session' });
  if (verdict.party !== 'sender-permanent') return new SendError('temporary', shown);
  const mailFrom = e.command === 'MAIL FROM';
  return new SendError('unavailable', shown, false, {
    senderRefusal: true,
    // Answered for one recipient: it may be that recipient's provider (delivery/site-refusals.ts).
    recipient: stage !== 'session',
    advice: `the relay refused ${refusedPart(stage, e.command)}: ${withoutAddresses(shown)} (${verdict.code}: ${verdict.meaning}; about the sender, not the reader, so nobody was bounced); ${senderAdvice(verdict, { mailFrom })}`,
  });
}

/** What a sender refusal was about, in the operator's words. */
function refusedPart(stage: StatusStage, command: string | undefined): string {
  if (stage === 'recipient') return 'a recipient';
  if (stage === 'message') return 'the message itself';
  return command === 'MAIL FROM' ? 'the sender (MAIL FROM)' : `the session (${command ?? 'greeting'})`;
}

/** 127.0.0.0/8, ::1 and `localhost`: a password sent there never crosses a network. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * Whether a URL's host is this machine by its spelling, not by what it resolves to: a name is
 * only trusted as loopback when it is `localhost` itself, so DNS (or a hosts file) can never talk
 * the newsletter out of TLS.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** nodemailer's pool options from the URL: plain data, so a worker thread can take them too. */
export function smtpTransportOptions(options: SmtpOptions) {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const loopback = isLoopbackHost(url.hostname);
  // A password crosses the network only inside TLS: without STARTTLS the relay gets no AUTH and
  // the send fails with a line that says so (smtps:// is TLS from the first byte).
  const requireTLS = Boolean(url.username) && !secure && !loopback && !options.authWithoutTls;
  return {
    pool: true as const,
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    ...(requireTLS ? { requireTLS: true } : {}),
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    maxConnections: options.pool,
    maxMessages: 1000,
    ...(options.rate ? { rateLimit: Math.max(1, Math.round(options.rate)), rateDelta: 1000 } : {}),
    ...smtpTimeouts(options.timeoutMs),
    ...(loopback ? { tls: { rejectUnauthorized: false } } : {}),
    ...(options.dkim ? { dkim: dkimSigning(options.dkim) } : {}),
  };
}

/**
 * nodemailer's DKIM options for NEWSLETTER_DKIM_*: what every send signs with, and what
 * `doctor` signs its end-to-end message with, so the message it verifies is signed as a send's.
 */
export function dkimSigning(dkim: NonNullable<SmtpOptions['dkim']>) {
  return {
    domainName: dkim.domain,
    keySelector: dkim.selector,
    privateKey: readFileSync(dkim.keyFile, 'utf8'),
    headerFieldNames: DKIM_SIGNED_FIELDS,
  };
}

/** One line for logs: where mail goes, never the credentials. */
export function describeSmtp(options: SmtpOptions): string {
  const url = new URL(options.url);
  const where = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  return `SMTP ${where} (pool ${options.pool}${options.rate ? `, at most ${options.rate}/s` : ''}${options.dkim ? ', DKIM' : ''})`;
}

/** The error a server's answer makes when it accepted the message but refused every recipient. */
export function rejectedRecipients(response: string): SendError {
  // The response may be the message's 250 (the others were taken): then the refusal's code is unknown.
  const basic = replyCodes(response).basic;
  return classifySmtpError(
    Object.assign(new Error('recipient rejected'), {
      responseCode: basic !== undefined && basic >= 400 ? basic : 550,
      code: 'EENVELOPE',
      response,
      command: 'RCPT TO',
    }),
  );
}
