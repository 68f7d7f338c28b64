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
  /** The original's RFC 9477 CFBL-Feedback-ID (signed: names the delivery), when the report carries it. */
  feedbackIds?: string[];
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

/** Not a report at all, or a report we cannot use: the line says why. */
const unreadable = (why: string): ReadReport => ({ ok: false, ignored: false, why });
/** A report about something that is not a reader's bounce or complaint (a delay, a not-spam report). */
const ignoredReport = (why: string): ReadReport => ({ ok: false, ignored: true, why });

/** What every kind of report is read from: the parsed message and what it says about the original. */
interface ParsedReport {
  mail: ParsedMail;
  /** The Content-Type's value, for the "not a report" line. */
  contentType: string | undefined;
  /** `report-type` of a multipart/report, lower-case. */
  reportType: string | undefined;
  /** The returned message (or its headers), attached. */
  original: ParsedMail['attachments'][number] | undefined;
  originalHeaders: Map<string, string>;
  /** Addresses from the report's own envelope headers. */
  returnPaths: string[];
  originalReturnPath: string | undefined;
  messageIds: string[];
  /** The notice's key for one source: the same report read twice gets the same key. */
  key: (source: string) => string;
}

/** The first attachment of one of these content types. */
function partOf(mail: ParsedMail, ...types: string[]): ParsedMail['attachments'][number] | undefined {
  return mail.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
}

/** The addresses in the report's envelope headers (To, Delivered-To and the like). */
function envelopeAddresses(mail: ParsedMail): string[] {
  const returnPaths: string[] = [];
  for (const name of ENVELOPE_HEADERS) {
    const v = mail.headers.get(name) as { value?: { address?: string }[] } | string | undefined;
    if (typeof v === 'string') returnPaths.push(...v.split(',').map((s) => addressIn(s) ?? s.trim()));
    else for (const a of v?.value ?? []) if (a.address) returnPaths.push(a.address);
  }
  return returnPaths;
}

/** The Message-ID of a returned message, as a list of none or one. */
function messageIdsIn(headers: Map<string, string>): string[] {
  return [normalizeMessageId(headers.get('message-id'))].filter((id): id is string => id !== undefined);
}

function parsedReport(mail: ParsedMail, raw: Buffer | string): ParsedReport {
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType =
    type?.value?.toLowerCase() === 'multipart/report' ? type.params?.['report-type']?.toLowerCase() : undefined;
  const original = partOf(mail, 'message/rfc822', 'text/rfc822-headers');
  const originalHeaders = original ? headerFields(original.content.toString('utf8')) : new Map<string, string>();
  const reportId = normalizeMessageId(mail.messageId) ?? sha256(raw);
  return {
    mail,
    contentType: type?.value,
    reportType,
    original,
    originalHeaders,
    returnPaths: envelopeAddresses(mail),
    originalReturnPath: addressIn(originalHeaders.get('return-path')),
    messageIds: messageIdsIn(originalHeaders),
    key: (source: string) => sha256(`${source}:${reportId}`),
  };
}

/** The status and the detail of the most severe recipient, as the notice carries them. */
function statusOf(fields: Map<string, string>): { status?: string } {
  return fields.get('status') ? { status: fields.get('status')! } : {};
}
const detailOf = (fields: Map<string, string>) => fields.get('diagnostic-code') ?? fields.get('action') ?? '';
const present = (address: string | undefined): string[] => (address ? [address] : []);

/** RFC 3464: the message/delivery-status part, one field group per recipient. */
function readDeliveryStatus(report: ParsedReport): ReadReport {
  const status = partOf(report.mail, 'message/delivery-status');
  if (!status) return unreadable('a delivery report without its message/delivery-status part');
  const [perMessage, ...recipients] = fieldGroups(status.content.toString('utf8'));
  const worst = mostSevere(recipients);
  if (!worst) return unreadable('a delivery report that lists no recipient');
  if (worst.verdict.kind === 'ignored') return ignoredReport(worst.verdict.why);
  const postfixSender = addressIn(perMessage?.get('x-postfix-sender'));
  return {
    ok: true,
    notice: {
      kind: worst.verdict.kind,
      source: 'dsn',
      returnPaths: [...report.returnPaths, ...present(postfixSender), ...present(report.originalReturnPath)],
      messageIds: report.messageIds,
      ...statusOf(worst.fields),
      detail: detailOf(worst.fields),
      key: report.key('dsn'),
    },
  };
}

/**
 * The CFBL-Feedback-ID of the original (RFC 9477: kept in the attached copy, or its headers),
 * else one the report's own header carries (some providers put it there).
 */
function feedbackIdsOf(report: ParsedReport): { feedbackIds?: string[] } {
  const own = report.mail.headers.get('cfbl-feedback-id');
  const ids = [report.originalHeaders.get('cfbl-feedback-id'), typeof own === 'string' ? own : undefined].filter(
    (id): id is string => typeof id === 'string' && id.trim() !== '',
  );
  return ids.length ? { feedbackIds: [...new Set(ids.map((id) => id.trim()))] } : {};
}

/** RFC 5965 ARF: the message/feedback-report part, one field group. */
function readFeedbackReport(report: ParsedReport): ReadReport {
  const part = partOf(report.mail, 'message/feedback-report');
  if (!part) return unreadable('a feedback report without its message/feedback-report part');
  const fields = fieldGroups(part.content.toString('utf8'))[0] ?? new Map<string, string>();
  const verdict = classifyFeedback(fields.get('feedback-type'));
  if (verdict.kind === 'ignored') return ignoredReport(verdict.why);
  // A template literal: the runtime-dependency check reads a quote right after "from" as an import.
  const mailFrom = addressIn(fields.get(`original-mail-from`));
  return {
    ok: true,
    notice: {
      kind: verdict.kind,
      source: 'arf',
      // The report is addressed to the feedback loop's mailbox, not to our return path.
      returnPaths: [...present(mailFrom), ...present(report.originalReturnPath)],
      messageIds: report.messageIds,
      ...feedbackIdsOf(report),
      status: fields.get('feedback-type')!.toLowerCase(),
      detail: [fields.get('user-agent'), fields.get('reported-domain')].filter(Boolean).join('; '),
      key: report.key('arf'),
    },
  };
}

/** A bounce in words (qmail, Exim or Sendmail without DSNs, Exchange); undefined when it is not one. */
function readBounceInWords(report: ParsedReport): ReadReport | undefined {
  const failedRecipients = report.mail.headers.get('x-failed-recipients');
  const plain = readPlainTextBounce(
    report.mail.text ?? '',
    typeof failedRecipients === 'string' ? failedRecipients : undefined,
  );
  if (!plain) return undefined;
  const worst = mostSevere(plain.recipients);
  if (!worst) return unreadable(`a ${plain.mta} bounce that lists no recipient`);
  if (worst.verdict.kind === 'ignored') return ignoredReport(`${plain.mta} bounce: ${worst.verdict.why}`);
  // The returned message, attached (Exchange 2003, Sendmail with MIME) or quoted in the text.
  const quoted = report.original ? report.originalHeaders : plain.originalHeaders;
  return {
    ok: true,
    notice: {
      kind: worst.verdict.kind,
      source: 'plain-text',
      returnPaths: [...report.returnPaths, ...present(addressIn(quoted.get('return-path')))],
      messageIds: messageIdsIn(quoted),
      ...statusOf(worst.fields),
      detail: `${plain.mta}: ${detailOf(worst.fields)}`,
      key: report.key('plain-text'),
    },
  };
}

/** mailparser's reading of the message, or why it could not read it. */
async function parseMail(raw: Buffer | string): Promise<ParsedMail | { why: string }> {
  try {
    // The report's parts as parts: the delivery status and the returned message are read below,
    // not merged into the text (mailparser's default for both).
    return await simpleParser(raw, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
    });
  } catch (e) {
    return { why: `not a readable email: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Reads one message as a delivery status notification (RFC 3464: multipart/report;
 * report-type=delivery-status) or a complaint (RFC 5965 ARF: report-type=feedback-report), with
 * mailparser. Anything else is "not a report": an auto-reply, spam, a human's answer.
 */
export async function readReport(raw: Buffer | string): Promise<ReadReport> {
  const mail = await parseMail(raw);
  if ('why' in mail) return unreadable(mail.why);
  const report = parsedReport(mail, raw);
  const { reportType } = report;
  if (reportType === 'delivery-status') return readDeliveryStatus(report);
  if (reportType === 'feedback-report') return readFeedbackReport(report);
  // Not a report: perhaps a bounce in words; a multipart/report of another type is not one.
  const plain = reportType ? undefined : readBounceInWords(report);
  if (plain) return plain;
  return unreadable(
    `not a delivery report or complaint (Content-Type ${report.contentType ?? 'none'}${reportType ? `; report-type=${reportType}` : ''})`,
  );
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
