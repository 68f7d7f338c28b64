/**
 * One table for every answer a mail system gives about a message: an SMTP reply while sending,
 * a delivery status notification (RFC 3464) that comes later, an ESP's webhook. Whose fault a
 * failure is decides what happens to the reader, so all three read it here.
 *
 * The RFC 3463 enhanced status code (class.subject.detail) decides; the basic reply code (RFC
 * 5321) only where no enhanced code says more (none given, or x.0.0 "other"):
 *
 * | code | whose | examples |
 * |---|---|---|
 * | x.1.x except x.1.7, x.1.8 | the reader's address | 5.1.1 no such mailbox, 5.1.2 no such domain, 5.1.10 null MX |
 * | x.2.1 | the reader's address | 5.2.1 mailbox disabled |
 * | x.2.2, x.2.0, x.2.4 | the reader's mailbox, for now | 5.2.2 mailbox full (never a bounce at once) |
 * | x.1.7, x.1.8, x.2.3 | the sender | the sender's address; the message's size |
 * | x.3.x, x.4.x, x.5.x, x.6.x, x.7.x | the sender | mail system, routing and quota (5.4.5 daily quota), protocol, content, policy, relaying and block lists (5.7.1) |
 * | basic 550, 551, 553, 521, 556 (to RCPT) | the reader's address | when no enhanced code is given |
 * | basic 552 (to RCPT); 450, 451, 452 (to RCPT) | the reader's mailbox, for now | |
 * | basic 421 anywhere | the sender's relay, for now | the server is closing the connection |
 * | any other code; any code to the greeting, EHLO, AUTH, MAIL FROM | the sender | 554 transaction failed |
 *
 * Class 5 is permanent and class 4 temporary, except a mailbox that is full for now (x.2.2,
 * basic 552) which is the reader's temporary trouble in either class. Only "the reader's
 * address", permanent, is ever a bounce.
 */

/** Whose fault an answer is, and whether it lasts. */
export type StatusParty =
  /** The reader's address takes no mail: a bounce (under the refusal rule while sending). */
  | 'reader-permanent'
  /** The reader's mailbox cannot take mail for now (full, greylisted, busy): tried again, counted against the reader. */
  | 'reader-temporary'
  /** About the sender, its relay or its message (policy, relaying, block lists, quota, system, content): nobody is bounced. */
  | 'sender-permanent'
  /** The relay cannot take mail for now (421, congestion, a failing system): tried again, counted against nobody. */
  | 'sender-temporary'
  /** Accepted or delivered: not a failure. */
  | 'success';

/**
 * Where in the conversation the answer came: `recipient` (RCPT TO, and a DSN's or webhook's
 * per-recipient verdict), `message` (DATA, one recipient per message here), `session`
 * (greeting, EHLO, STARTTLS, AUTH, MAIL FROM: nothing there is about a recipient).
 */
export type StatusStage = 'recipient' | 'message' | 'session';

export interface StatusVerdict {
  party: StatusParty;
  /** The code that decided: `5.7.1`, or the basic code (`550`) when no enhanced one did. */
  code: string;
  /** What the code says, in a few words (`policy, relaying or a block list`). */
  meaning: string;
}

const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
/** An SMTP reply's codes: `554 5.7.1 …`, `550-5.1.1 …` (multi-line), or just `421 …`. */
const REPLY = /^\s*([2-5]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3})\b)?/;

/** The basic and enhanced codes at the start of an SMTP reply, where there are any. */
export function replyCodes(reply: string | undefined): { basic?: number; enhanced?: string } {
  const m = REPLY.exec(reply ?? '');
  if (!m) return {};
  return { basic: Number(m[1]), ...(m[2] ? { enhanced: m[2] } : {}) };
}

/** An enhanced status code anywhere in a text (`smtp;550 5.1.1 …`, a DSN's Status field). */
export function enhancedCodeIn(text: string | undefined): string | undefined {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text ?? '')?.[1];
}

const lasting = (cls: number, party: 'reader' | 'sender'): StatusParty =>
  `${party}-${cls === 5 ? 'permanent' : 'temporary'}` as StatusParty;

/**
 * The subjects (`3`) and subject.details (`1.7`) of RFC 3463 that are about the sender, in the
 * operator's words; a detail is looked up before its subject.
 */
const SENDER_SUBJECTS: Readonly<Record<string, string>> = {
  '1.7': "the sender's address",
  '1.8': "the sender's address",
  '2.3': "the message's size",
  '3': 'the mail system (full, not accepting mail, misconfigured)',
  '4': 'routing, quota or congestion',
  '5': 'the SMTP protocol',
  '6': "the message's content or format",
  '7': 'policy, relaying or a block list',
};

/** The rest of subjects 1 and 2: the reader's. `lasts`: permanent in class 5; otherwise always temporary. */
const READER_SUBJECTS: Readonly<Record<string, { lasts: boolean; meaning: string }>> = {
  '1': { lasts: true, meaning: "the reader's address" },
  '2.1': { lasts: true, meaning: "the reader's mailbox is disabled" },
  '2.2': { lasts: false, meaning: "the reader's mailbox is full" },
  '2': { lasts: false, meaning: "the reader's mailbox" },
};

/** Basic codes to RCPT TO that say something about the reader when no enhanced code does. */
const READER_BASIC_CODES: Readonly<Record<number, { party: StatusParty; meaning: string }>> = {
  550: { party: 'reader-permanent', meaning: "the reader's mailbox is unavailable" },
  551: { party: 'reader-permanent', meaning: "the reader's mailbox is unavailable" },
  553: { party: 'reader-permanent', meaning: "the reader's mailbox is unavailable" },
  521: { party: 'reader-permanent', meaning: "the reader's domain takes no mail" },
  556: { party: 'reader-permanent', meaning: "the reader's domain takes no mail" },
  552: { party: 'reader-temporary', meaning: "the reader's mailbox, for now" },
  450: { party: 'reader-temporary', meaning: "the reader's mailbox, for now" },
  451: { party: 'reader-temporary', meaning: "the reader's mailbox, for now" },
  452: { party: 'reader-temporary', meaning: "the reader's mailbox, for now" },
};

/** A table's entry for `subject.detail`, else for `subject`. */
const bySubject = <T>(table: Readonly<Record<string, T>>, subject: number, detail: number): T | undefined =>
  table[`${subject}.${detail}`] ?? table[String(subject)];

/** The class (2, 4, 5) of the answer: the basic code's where the two disagree (RFC 3463 section 2), it is what the client acts on. */
function statusClass(basic: number | undefined, enhanced: RegExpExecArray | null): number | undefined {
  const basicClass = basic !== undefined && basic >= 200 && basic < 600 ? Math.floor(basic / 100) : undefined;
  return basicClass ?? (enhanced ? Number(enhanced[1]) : undefined);
}

/**
 * Whose fault an answer is (see the table above). `basic` is the SMTP reply code; `enhanced` the
 * RFC 3463 code; `stage` where in the conversation it came (a DSN or webhook: `recipient`).
 */
export function classifyMailStatus(input: {
  basic?: number | undefined;
  enhanced?: string | undefined;
  stage: StatusStage;
}): StatusVerdict {
  const { basic, stage } = input;
  const e = ENHANCED.exec(input.enhanced ?? '');
  const cls = statusClass(basic, e);
  const code = e ? e[0] : basic !== undefined ? String(basic) : 'none';
  if (cls === 2) return { party: 'success', code, meaning: 'accepted' };
  if (basic === 421)
    return {
      party: 'sender-temporary',
      code: e ? `421 ${e[0]}` : '421',
      meaning: 'the server is closing the connection',
    };
  if (cls !== 4 && cls !== 5) return { party: 'reader-temporary', code, meaning: 'no usable status code' };
  if (stage === 'session')
    return { party: lasting(cls, 'sender'), code, meaning: 'refused before any recipient (greeting, login or sender)' };
  return (e && byEnhancedCode(cls, Number(e[2]), Number(e[3]), code)) ?? byBasicCode(cls, basic, stage, code);
}

/** The verdict of an enhanced code's subject and detail; undefined for x.0.x and subjects RFC 3463 does not define. */
function byEnhancedCode(cls: number, subject: number, detail: number, code: string): StatusVerdict | undefined {
  if (subject === 0) return undefined;
  const about = bySubject(SENDER_SUBJECTS, subject, detail);
  if (about) return { party: lasting(cls, 'sender'), code, meaning: about };
  const reader = bySubject(READER_SUBJECTS, subject, detail);
  if (reader)
    return { party: reader.lasts ? lasting(cls, 'reader') : 'reader-temporary', code, meaning: reader.meaning };
  return undefined;
}

/** The verdict of the basic code alone, where no enhanced code said more. */
function byBasicCode(cls: number, basic: number | undefined, stage: StatusStage, code: string): StatusVerdict {
  if (basic === undefined) return { party: 'reader-temporary', code, meaning: 'no detail in the status code' };
  const shown = String(basic);
  if (stage === 'message')
    return { party: lasting(cls, 'sender'), code: shown, meaning: 'the message itself was refused' };
  const reader = READER_BASIC_CODES[basic];
  if (reader) return { ...reader, code: shown };
  return {
    party: lasting(cls, 'sender'),
    code: shown,
    meaning:
      basic === 554
        ? 'the transaction was refused (often a block list or policy)'
        : 'refused for a reason about the sender',
  };
}

/**
 * What an operator does about an answer that is the sender's, by its code: one clause for the
 * line that stops a pass.
 */
export function senderAdvice(verdict: Pick<StatusVerdict, 'code'>, at: { mailFrom?: boolean } = {}): string {
  const m = /([245])\.(\d{1,3})\.(\d{1,3})/.exec(verdict.code);
  // A refused MAIL FROM with nothing more specific is about the sender address itself.
  const subject = m && m[2] !== '0' ? Number(m[2]) : at.mailFrom ? 1 : undefined;
  const detail = m ? Number(m[3]) : undefined;
  if (subject === 7)
    return "check that the relay account in NEWSLETTER_SMTP_URL may send (and relay) for NEWSLETTER_FROM's domain, that the sending IP is on no block list (e.g. Spamhaus's lookup) and that SPF, DKIM and DMARC pass for it";
  if (subject === 4)
    return "check the relay account's sending quota and limits (raise it, or lower NEWSLETTER_RATE) and the relay's routing";
  if (subject === 3) return "check the relay's mail system (disk, queue, configuration) or ask its operator";
  if (subject === 5)
    return 'check NEWSLETTER_SMTP_URL (host, port, smtp:// or smtps://) against what the relay expects';
  if (subject === 6 || (subject === 2 && detail === 3))
    return "check the email's content and size (`newsletter check`) against the relay's limits";
  if (subject === 1) return 'check NEWSLETTER_FROM and NEWSLETTER_BOUNCE_ADDRESS: the relay refuses the sender address';
  return "check the relay's answer with its operator or documentation (account, sending limits, block lists)";
}
