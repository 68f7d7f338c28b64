import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { toNodemailer } from './headers.ts';
import { SendError, type Mailer, type OutgoingMessage } from './mailer.ts';

export interface SmtpOptions {
  url: string;
  pool: number;
  /** Most messages per second over all connections. */
  rate?: number;
  dkim?: { domain: string; selector: string; keyFile: string };
  /** Milliseconds to wait for a connection or an answer. */
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
  if (code !== undefined && code >= 500 && (e.code === 'EENVELOPE' || e.command === 'DATA' || e.code === 'EMESSAGE')) return new SendError('permanent', shown);
  if (code !== undefined && code >= 400 && code < 500) return new SendError('temporary', shown);
  // 5xx to the greeting, MAIL FROM or the like: the server refuses everyone.
  if (code !== undefined && code >= 500) return new SendError('unavailable', shown);
  return new SendError('temporary', shown, Boolean(e.code && CONNECTION_CODES.has(e.code)));
}

/** nodemailer's SMTP pool: `pool` connections, TLS as the URL says, `rate` shared by all. */
export function createSmtpMailer(options: SmtpOptions): Mailer {
  const url = new URL(options.url);
  const transport = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    maxConnections: options.pool,
    maxMessages: 1000,
    ...(options.rate ? { rateLimit: Math.max(1, Math.round(options.rate)), rateDelta: 1000 } : {}),
    connectionTimeout: options.timeoutMs ?? 15_000,
    greetingTimeout: options.timeoutMs ?? 15_000,
    socketTimeout: (options.timeoutMs ?? 15_000) * 4,
    ...(url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? { tls: { rejectUnauthorized: false } } : {}),
    ...(options.dkim
      ? { dkim: { domainName: options.dkim.domain, keySelector: options.dkim.selector, privateKey: readFileSync(options.dkim.keyFile, 'utf8') } }
      : {}),
  });
  const where = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  return {
    concurrency: options.pool,
    describe: () => `SMTP ${where} (pool ${options.pool}${options.rate ? `, at most ${options.rate}/s` : ''}${options.dkim ? ', DKIM' : ''})`,
    async send(message: OutgoingMessage) {
      try {
        const info = await transport.sendMail(toNodemailer(message));
        const rejected = (info.rejected ?? []) as unknown[];
        if (rejected.length) throw Object.assign(new Error('recipient rejected'), { responseCode: 550, code: 'EENVELOPE', response: String(info.response) });
        return { response: String(info.response ?? 'sent') };
      } catch (e) {
        throw e instanceof SendError ? e : classifySmtpError(e);
      }
    },
    async close() {
      transport.close();
    },
  };
}
