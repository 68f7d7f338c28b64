import { createHash, timingSafeEqual } from 'node:crypto';
import { replyCodes } from '../../mailer/smtp-status.ts';
import { bounceOf, type BounceKind } from '../classify.ts';
import { normalizeMessageId, type BounceNotice } from '../report.ts';

/** Equal strings, compared in time that does not depend on where they differ (or their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Postmark sends the user and password set in its webhook URL as HTTP basic auth. */
export function postmarkAuthorized(authorization: string | undefined, expected: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  // Compared even when the header is missing, so a missing and a wrong one take the same time.
  return sameSecret(given, expected) && m !== null;
}

/** Postmark's bounce types (its Bounce API's `Type`): which are the reader's address, which pass. */
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError']);

export type WebhookNotice = { ok: true; notice: BounceNotice } | { ok: false; ignored: boolean; why: string };

/** A spam complaint (by its RecordType or its Type), or a bounce whose type is the reader's address. */
function kindOfRecord(record: string, type: string): BounceKind | undefined {
  if (record === 'SpamComplaint' || type === 'SpamComplaint') return 'complaint';
  if (record !== 'Bounce') return undefined;
  return HARD.has(type) ? 'hard' : SOFT.has(type) ? 'soft' : undefined;
}

/**
 * `Details` carries the remote server's reply (`smtp;550 5.1.1 …`): the same table as an SMTP
 * answer or a DSN judges it, so a HardBounce that is really a 5.7.1 block changes nothing.
 */
function judgedByReply(kind: BounceKind, type: string, details: string | undefined): BounceKind | { why: string } {
  const reply = replyCodes((details ?? '').replace(/^\s*smtp\s*;\s*/i, ''));
  if (kind === 'complaint' || (reply.basic === undefined && reply.enhanced === undefined)) return kind;
  const verdict = bounceOf(reply);
  return verdict.kind === 'ignored' ? { why: `Postmark ${type}: ${verdict.why}` } : verdict.kind;
}

/** Our Message-ID, when the bounce's full text (`Content`) came along. */
function quotedMessageIds(content: string | undefined): string[] {
  const messageId = normalizeMessageId(/^Message-ID:\s*(\S+)/im.exec(content ?? '')?.[1]);
  return messageId ? [messageId] : [];
}

/**
 * A Postmark bounce or spam-complaint webhook (RecordType Bounce or SpamComplaint) as a notice.
 * Postmark's MessageID is its own, so the reader is found by the address it names (the request
 * is authenticated), or by our Message-ID when the bounce's full text (`Content`) came along.
 * Types about the sender or the content (Blocked, DMARCPolicy, AutoResponder …) change nothing,
 * and so does a bounce type whose SMTP reply (in `Details`) is about the sender (see bounceOf).
 */
export function postmarkNotice(payload: unknown): WebhookNotice {
  const p = (payload ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const record = str('RecordType');
  const type = str('Type') ?? '';
  const email = str('Email');
  const id = p['ID'];
  if (!record || !email || (typeof id !== 'number' && typeof id !== 'string'))
    return {
      ok: false,
      ignored: false,
      why: 'not a Postmark bounce or spam complaint (RecordType, ID and Email are required)',
    };
  const recordKind = kindOfRecord(record, type);
  if (!recordKind)
    return { ok: false, ignored: true, why: `Postmark ${record} of type "${type}" is not about the reader's address` };
  const kind = judgedByReply(recordKind, type, str('Details'));
  if (typeof kind === 'object') return { ok: false, ignored: true, why: kind.why };
  return {
    ok: true,
    notice: {
      kind,
      source: 'postmark',
      returnPaths: [],
      messageIds: quotedMessageIds(str('Content')),
      email,
      status: type,
      detail: str('Details') ?? str('Description') ?? '',
      key: `postmark:${record}:${String(id)}`,
    },
  };
}
