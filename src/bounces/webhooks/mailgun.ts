import { createHmac, timingSafeEqual } from 'node:crypto';
import { bounceOf, type BounceKind } from '../classify.ts';
import { normalizeMessageId } from '../report.ts';
import type { WebhookNotice } from './postmark.ts';

/** How far a Mailgun signature's timestamp may be from our clock, either way. */
export const MAILGUN_WINDOW_MS = 5 * 60_000;

export type MailgunCheck = { ok: true; token: string } | { ok: false; why: string };

/**
 * Mailgun signs each webhook in its body: `signature: {timestamp, token, signature}`, the
 * signature the hex HMAC-SHA256 of timestamp + token under the domain's webhook signing key.
 * Good only within MAILGUN_WINDOW_MS of `now`; the caller refuses a token seen before (replay).
 */
export function checkMailgunSignature(body: unknown, key: string, now: Date): MailgunCheck {
  const s = ((body ?? {}) as { signature?: Record<string, unknown> }).signature ?? {};
  const timestamp = typeof s['timestamp'] === 'number' ? String(s['timestamp']) : s['timestamp'];
  const { token, signature } = s;
  if (
    typeof timestamp !== 'string' ||
    typeof token !== 'string' ||
    typeof signature !== 'string' ||
    !/^\d{1,12}$/.test(timestamp) ||
    token.length > 200
  ) {
    return { ok: false, why: 'no Mailgun signature' };
  }
  const expected = createHmac('sha256', key)
    .update(timestamp + token)
    .digest();
  const wellFormed = /^[0-9a-f]{64}$/i.test(signature);
  // Compared whatever its form, so a malformed and a wrong signature take the same time.
  const given = wellFormed ? Buffer.from(signature, 'hex') : Buffer.alloc(expected.length);
  if (!timingSafeEqual(given, expected) || !wellFormed) return { ok: false, why: 'bad Mailgun signature' };
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > MAILGUN_WINDOW_MS)
    return { ok: false, why: 'Mailgun signature outside the 5-minute window' };
  return { ok: true, token };
}

type MailgunEvent = Record<string, unknown>;
type SmtpCodes = { basic: number | undefined; enhanced: string | undefined };

const stringIn = (e: MailgunEvent, key: string) => (typeof e[key] === 'string' ? e[key] : undefined);

/** `complained` → complaint; `failed` by its severity; any other event is not a bounce. */
function kindOfEvent(event: string, severity: unknown): BounceKind | undefined {
  if (event === 'complained') return 'complaint';
  if (event !== 'failed') return undefined;
  return severity === 'permanent' ? 'hard' : severity === 'temporary' ? 'soft' : undefined;
}

/** The SMTP reply codes in `delivery-status`, when they are SMTP codes. */
function smtpCodes(status: Record<string, unknown>): SmtpCodes {
  const enhanced =
    typeof status['enhanced-code'] === 'string' && status['enhanced-code'] ? status['enhanced-code'] : undefined;
  // Mailgun's own codes (605 "previously bounced", 607 …) are not SMTP replies: its severity decides those.
  const basic =
    typeof status['code'] === 'number' && status['code'] >= 200 && status['code'] < 600 ? status['code'] : undefined;
  return { basic, enhanced };
}

/**
 * A failure judged by its codes under the one table (a 5.7.1 block is the sender's, whatever the
 * severity); a temporary failure never becomes hard. Without codes, the severity's kind stands.
 */
function judgedFailure(kind: BounceKind, severity: unknown, codes: SmtpCodes): BounceKind | { why: string } {
  if (kind === 'complaint' || !(codes.enhanced || codes.basic)) return kind;
  const verdict = bounceOf(codes);
  if (verdict.kind === 'ignored') return { why: `Mailgun ${String(severity)} failure: ${verdict.why}` };
  return verdict.kind === 'hard' && severity === 'temporary' ? 'soft' : verdict.kind;
}

/** The Message-ID we sent, which Mailgun keeps in `message.headers.message-id`. */
function sentMessageIds(e: MailgunEvent): string[] {
  const headers = ((e['message'] ?? {}) as { headers?: Record<string, unknown> }).headers ?? {};
  const messageId = normalizeMessageId(typeof headers['message-id'] === 'string' ? headers['message-id'] : undefined);
  return messageId ? [messageId] : [];
}

/** The notice's status: the enhanced or basic code as given, else "complained" for a complaint. */
function statusOf(kind: BounceKind, codes: SmtpCodes, status: Record<string, unknown>): { status?: string } {
  const code = codes.enhanced ?? (typeof status['code'] === 'number' ? String(status['code']) : undefined);
  return code ? { status: code } : kind === 'complaint' ? { status: 'complained' } : {};
}

/**
 * A Mailgun event (`event-data`) as a notice: `failed` is judged by its SMTP codes (enhanced, then
 * basic) under the one table (see bounceOf), its severity deciding only where there are none
 * (permanent → hard, temporary → soft: Mailgun retries those itself and reports them once per
 * try) and never making a temporary failure hard; `complained` → complaint.
 * Mailgun keeps the Message-ID we sent in `message.headers.message-id`, so a tip is found exactly.
 */
export function mailgunNotice(body: unknown): WebhookNotice {
  const e = ((body ?? {}) as { 'event-data'?: MailgunEvent })['event-data'];
  if (!e || typeof e !== 'object') return { ok: false, ignored: false, why: 'no Mailgun event-data' };
  const event = stringIn(e, 'event') ?? '';
  const id = stringIn(e, 'id');
  const recipient = stringIn(e, 'recipient');
  if (!id || !recipient) return { ok: false, ignored: false, why: 'a Mailgun event needs an id and a recipient' };
  const severity = e['severity'];
  const status = (e['delivery-status'] ?? {}) as Record<string, unknown>;
  const codes = smtpCodes(status);
  const eventKind = kindOfEvent(event, severity);
  if (!eventKind) return { ok: false, ignored: true, why: `Mailgun event "${event}" is not a bounce or complaint` };
  const kind = judgedFailure(eventKind, severity, codes);
  if (typeof kind === 'object') return { ok: false, ignored: true, why: kind.why };
  return {
    ok: true,
    notice: {
      kind,
      source: 'mailgun',
      returnPaths: [],
      messageIds: sentMessageIds(e),
      email: recipient,
      ...statusOf(kind, codes, status),
      detail: [status['message'], status['description'], e['reason']]
        .filter((v) => typeof v === 'string' && v)
        .join('; '),
      key: `mailgun:${id}`,
    },
  };
}
