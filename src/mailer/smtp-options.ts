import { readFileSync } from 'node:fs';
import { SendError } from './mailer.ts';
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
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EPROTOCOL', 'ETLS', 'EMAXLIMIT']);
/** The server cannot be reached at all: refused, unknown host, no route. */
const UNREACHABLE = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/;

/**
 * Sorts a nodemailer failure into what the dispatcher does next. A refused connection or a
 * failed login means the server is unavailable (end the pass); a dropped connection or a
 * timeout is temporary (nodemailer reports a connection closed mid-conversation as ECONNECTION).
 */
export function classifySmtpError(error: unknown): SendError {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string; command?: string };
  const response = (e.response ?? e.message ?? String(error)).slice(0, 500);
  const code = e.responseCode;
  const shown = code ? response : `${e.code ?? 'error'}: ${response}`;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'EDNS' || UNREACHABLE.test(e.message ?? '')) return new SendError('unavailable', shown);
  // Only a refused recipient says the address takes no mail. A refused sender (MAIL FROM) is
  // our configuration and refuses everyone; a 5xx to the message itself (DATA) is about its
  // content or our account, the same for every reader: the pass stops, the message is retried.
  if (code !== undefined && code >= 500 && e.command === 'RCPT TO') return new SendError('permanent', shown);
  if (code !== undefined && code >= 500 && e.command === 'DATA') return new SendError('unavailable', `the server refused the message itself: ${shown}`);
  if (code !== undefined && code >= 400 && code < 500) return new SendError('temporary', shown);
  // 5xx to the greeting, MAIL FROM or the like: the server refuses everyone.
  if (code !== undefined && code >= 500) return new SendError('unavailable', shown);
  return new SendError('temporary', shown, Boolean(e.code && CONNECTION_CODES.has(e.code)));
}

/** nodemailer's pool options from the URL: plain data, so a worker thread can take them too. */
export function smtpTransportOptions(options: SmtpOptions) {
  const url = new URL(options.url);
  return {
    pool: true as const,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    maxConnections: options.pool,
    maxMessages: 1000,
    ...(options.rate ? { rateLimit: Math.max(1, Math.round(options.rate)), rateDelta: 1000 } : {}),
    ...smtpTimeouts(options.timeoutMs),
    ...(url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? { tls: { rejectUnauthorized: false } } : {}),
    ...(options.dkim
      ? { dkim: { domainName: options.dkim.domain, keySelector: options.dkim.selector, privateKey: readFileSync(options.dkim.keyFile, 'utf8') } }
      : {}),
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
  return classifySmtpError(Object.assign(new Error('recipient rejected'), { responseCode: 550, code: 'EENVELOPE', response }));
}
