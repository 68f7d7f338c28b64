import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { classifyFeedback, classifyStatus, type BounceKind, type Classification } from './classify.ts';
import { readPlainTextBounce } from './plain-text.ts';
import { addressIn, fieldGroups, headerFields } from './report-fields.ts';

/** One bounce or complaint, from any source, with what identifies the reader and the tip. */
export interface BounceNotice {
  kind: BounceKind;
  source: 'dsn' | 'plain-text' | 'arf' | 'postmark' | 'mailgun';
  /** Addresses that may be our VERP return path (signed). */
  returnPaths: string[];
  /** Message-IDs of the original message, as `<id@domain>`. */
  messageIds: string[];
  /** The reader's address; trusted only from an authenticated webhook. */
  email?: string;
  /** Enhanced status code, ESP type or feedback type. */
  status?: string;
  detail?: string;
  /** Unique for this report (and reader): the same one applied twice counts once. */
  key: string;
}

export type ReadReport =
  | { ok: true; notice: BounceNotice }
  | { ok: false; ignored: true; why: string }
  | { ok: false; ignored: false; why: string };

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** `<id@domain>` for any spelling of a Message-ID (with or without the angle brackets). */
export function normalizeMessageId(id: string | undefined): string | undefined {
  const bare = id?.trim().replace(/^<|>$/g, '');
  return bare && /^[^<>\s]+@[^<>\s]+$/.test(bare) ? `<${bare}>` : undefined;
}

/** The headers in the report itself that carry the address it was sent to: our return path. */
const ENVELOPE_HEADERS = ['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to'];

/**
 * Reads one message as a delivery status notification (RFC 3464: multipart/report;
 * report-type=delivery-status) or a complaint (RFC 5965 ARF: report-type=feedback-report), with
 * mailparser. Anything else is "not a report": an auto-reply, spam, a human's answer.
 */
export async function readReport(raw: Buffer | string): Promise<ReadReport> {
  let mail: ParsedMail;
  try {
    // The report's parts as parts: the delivery status and the returned message are read below,
    // not merged into the text (mailparser's default for both).
    mail = await simpleParser(raw, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
    });
  } catch (e) {
    return { ok: false, ignored: false, why: `not a readable email: ${e instanceof Error ? e.message : String(e)}` };
  }
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType =
    type?.value?.toLowerCase() === 'multipart/report' ? type.params?.['report-type']?.toLowerCase() : undefined;
  const part = (...types: string[]) => mail.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  const original = part('message/rfc822', 'text/rfc822-headers');
  const originalHeaders = original ? headerFields(original.content.toString('utf8')) : new Map<string, string>();

  const returnPaths: string[] = [];
  for (const name of ENVELOPE_HEADERS) {
    const v = mail.headers.get(name) as { value?: { address?: string }[] } | string | undefined;
    if (typeof v === 'string') returnPaths.push(...v.split(',').map((s) => addressIn(s) ?? s.trim()));
    else for (const a of v?.value ?? []) if (a.address) returnPaths.push(a.address);
  }
  const originalReturnPath = addressIn(originalHeaders.get('return-path'));
  const messageIds = [normalizeMessageId(originalHeaders.get('message-id'))].filter(
    (id): id is string => id !== undefined,
  );
  const reportId = normalizeMessageId(mail.messageId) ?? sha256(raw);
  const key = (source: string) => sha256(`${source}:${reportId}`);

  if (reportType === 'delivery-status') {
    const status = part('message/delivery-status');
    if (!status)
      return { ok: false, ignored: false, why: 'a delivery report without its message/delivery-status part' };
    const [perMessage, ...recipients] = fieldGroups(status.content.toString('utf8'));
    const worst = mostSevere(recipients);
    if (!worst) return { ok: false, ignored: false, why: 'a delivery report that lists no recipient' };
    if (worst.verdict.kind === 'ignored') return { ok: false, ignored: true, why: worst.verdict.why };
    const postfixSender = addressIn(perMessage?.get('x-postfix-sender'));
    return {
      ok: true,
      notice: {
        kind: worst.verdict.kind,
        source: 'dsn',
        returnPaths: [
          ...returnPaths,
          ...(postfixSender ? [postfixSender] : []),
          ...(originalReturnPath ? [originalReturnPath] : []),
        ],
        messageIds,
        ...(worst.fields.get('status') ? { status: worst.fields.get('status')! } : {}),
        detail: worst.fields.get('diagnostic-code') ?? worst.fields.get('action') ?? '',
        key: key('dsn'),
      },
    };
  }

  if (reportType === 'feedback-report') {
    const report = part('message/feedback-report');
    if (!report)
      return { ok: false, ignored: false, why: 'a feedback report without its message/feedback-report part' };
    const fields = fieldGroups(report.content.toString('utf8'))[0] ?? new Map<string, string>();
    const verdict = classifyFeedback(fields.get('feedback-type'));
    if (verdict.kind === 'ignored') return { ok: false, ignored: true, why: verdict.why };
    // A template literal: the runtime-dependency check reads a quote right after "from" as an import.
    const mailFrom = addressIn(fields.get(`original-mail-from`));
    return {
      ok: true,
      notice: {
        kind: verdict.kind,
        source: 'arf',
        // The report is addressed to the feedback loop's mailbox, not to our return path.
        returnPaths: [...(mailFrom ? [mailFrom] : []), ...(originalReturnPath ? [originalReturnPath] : [])],
        messageIds,
        status: fields.get('feedback-type')!.toLowerCase(),
        detail: [fields.get('user-agent'), fields.get('reported-domain')].filter(Boolean).join('; '),
        key: key('arf'),
      },
    };
  }

  // Not a report: perhaps a bounce in words (qmail, Exim or Sendmail without DSNs, Exchange).
  const failedRecipients = mail.headers.get('x-failed-recipients');
  const plain = reportType
    ? undefined
    : readPlainTextBounce(mail.text ?? '', typeof failedRecipients === 'string' ? failedRecipients : undefined);
  if (plain) {
    const worst = mostSevere(plain.recipients);
    if (!worst) return { ok: false, ignored: false, why: `a ${plain.mta} bounce that lists no recipient` };
    if (worst.verdict.kind === 'ignored')
      return { ok: false, ignored: true, why: `${plain.mta} bounce: ${worst.verdict.why}` };
    // The returned message, attached (Exchange 2003, Sendmail with MIME) or quoted in the text.
    const quoted = original ? originalHeaders : plain.originalHeaders;
    const quotedReturnPath = addressIn(quoted.get('return-path'));
    return {
      ok: true,
      notice: {
        kind: worst.verdict.kind,
        source: 'plain-text',
        returnPaths: [...returnPaths, ...(quotedReturnPath ? [quotedReturnPath] : [])],
        messageIds: [normalizeMessageId(quoted.get('message-id'))].filter((id): id is string => id !== undefined),
        ...(worst.fields.get('status') ? { status: worst.fields.get('status')! } : {}),
        detail: `${plain.mta}: ${worst.fields.get('diagnostic-code') ?? worst.fields.get('action') ?? ''}`,
        key: key('plain-text'),
      },
    };
  }

  return {
    ok: false,
    ignored: false,
    why: `not a delivery report or complaint (Content-Type ${type?.value ?? 'none'}${reportType ? `; report-type=${reportType}` : ''})`,
  };
}

/**
 * The verdict for a report's recipients (delivery-status fields, or the same fields read from a
 * plain-text bounce): our messages have one recipient each; the most severe verdict among those
 * listed stands.
 */
function mostSevere(
  recipients: Map<string, string>[],
): { verdict: Classification; fields: Map<string, string> } | undefined {
  let worst: { verdict: Classification; fields: Map<string, string> } | undefined;
  const rank = (c: Classification) => (c.kind === 'hard' ? 3 : c.kind === 'soft' ? 2 : 1);
  for (const fields of recipients) {
    const verdict = classifyStatus(fields.get('action'), fields.get('status'), fields.get('diagnostic-code'));
    if (!worst || rank(verdict) > rank(worst.verdict)) worst = { verdict, fields };
  }
  return worst;
}
