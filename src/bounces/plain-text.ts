import { headerFields } from './report-fields.ts';

/**
 * Bounces that are not RFC 3464 reports: the plain-text notices qmail always sends, Exim and
 * Sendmail send when DSNs are off (or in older versions), and Exchange sends through gateways
 * that flatten its report. Each is read into the same fields a delivery-status report has
 * (`final-recipient`, `action`, `status`, `diagnostic-code`, one group per recipient), so one
 * set of rules classifies both.
 *
 * Nothing read here identifies the reader: that stays the signed return path the notice was
 * mailed to, or the original Message-ID it quotes (see apply.ts).
 */
export interface PlainTextBounce {
  /** The mail system whose wording was recognised. */
  mta: PlainTextForm['mta'];
  /** One field group per recipient, as in a message/delivery-status part. */
  recipients: Map<string, string>[];
  /** The header fields of the returned message, when the notice quotes them. */
  originalHeaders: Map<string, string>;
}

interface PlainTextForm {
  mta: 'qmail' | 'Exim' | 'Sendmail' | 'Exchange';
  /** A line only this form of notice writes; matched on unquoted lines only. */
  starts: RegExp;
  /** A line saying the message is still queued (a warning, not a failure). */
  delayed?: RegExp;
  /** The line after which the returned message (or its headers) is quoted. */
  original: RegExp;
}

/**
 * The wording each mail system uses, from its source or its documentation:
 * - qmail-send.c: "Hi. This is the qmail-send program at …" and "--- Below this line is a copy
 *   of the message."; each recipient as `<address>:` and the reason, ending `(#5.1.1)`;
 * - Exim deliver.c: "This message was created automatically by mail delivery software.", the
 *   failed addresses indented two spaces, and "------ This is a copy of the message, including
 *   all the headers. ------" (X-Failed-Recipients in the header);
 * - Sendmail savemail.c: "----- The following addresses had permanent fatal errors -----" (or
 *   "transient non-fatal" for a warning), "----- Transcript of session follows -----" and
 *   "----- Original message follows -----";
 * - Exchange: "Delivery has failed to these recipients or groups:" (2007 and later), "Your
 *   message to … couldn't be delivered." (Exchange Online), "The following recipient(s) could
 *   not be reached:" (2003), then "Remote Server returned '550 5.1.1 …'" or "#550 5.1.1 … ##",
 *   and "Original message headers:".
 */
const FORMS: readonly PlainTextForm[] = [
  {
    mta: 'qmail',
    starts:
      /^Hi\. This is the qmail(?:-send)? program at |^I'm afraid I wasn't able to deliver your message to the following addresses/m,
    original: /^--- Below this line is a copy of the (?:message|mail header)\./m,
  },
  {
    mta: 'Exim',
    starts: /^This message was created automatically by mail delivery software\./m,
    delayed: /has not yet been delivered to one or more of its/,
    original: /^-{5,6} This is a copy of the message(?:, including all the headers|'s headers)\. -{5,6}/m,
  },
  {
    mta: 'Sendmail',
    starts:
      /^\s*-{3,5} The following addresses had (?:permanent fatal|transient non-fatal) errors -{3,5}|^\s*-{3,5} Transcript of session follows -{3,5}/m,
    delayed: /^\s*-{3,5} The following addresses had transient non-fatal errors/m,
    original: /^\s*-{3,5} (?:Original message|Unsent message|Message header|Original message header) follows -{3,5}/m,
  },
  {
    mta: 'Exchange',
    starts:
      /^(?:Delivery has failed to these recipients or (?:groups|distribution lists):|Delivery is delayed to these recipients or (?:groups|distribution lists):|Your message to .+ couldn't be delivered\.|Your message couldn't be delivered|The following recipient\(s\) (?:could not|cannot) be reached:|did not reach the following recipient\(s\):)/m,
    delayed: /^Delivery is delayed to these recipients/m,
    original: /^Original message headers:/m,
  },
];

/** An address, as these notices print it (never a display name). */
const ADDRESS = String.raw`[^\s<>@"'():,;\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`;
/**
 * A line that names one recipient: `<a@b>:` (qmail), `  a@b` (Exim), `<a@b>` (Sendmail),
 * `a@b`, `Name<mailto:a@b>` or `  a@b on <date>` (Exchange). A line that starts with anything
 * else (a reply code, `(reason: …`, `>>> RCPT To:<a@b>`, a sentence) is not one.
 */
const ADDRESS_LINE = new RegExp(
  String.raw`^[ \t]{0,3}(?:[^\s<>@]*<mailto:)?<?(${ADDRESS})>?(?:<mailto:[^>]*>)?(?:\s+on\s.*|\s*:.*)?$`,
);

/** The SMTP reply with its enhanced code (`550 5.1.1`, `#550 5.1.1`, `'550-5.1.1`). */
const REPLY_WITH_STATUS = /\b[245]\d\d[ -]+([245]\.\d{1,3}\.\d{1,3})\b/;
/** A status of the reporting system's own (qmail's `(#5.1.1)`, Exchange 2003's `#5.1.1`). */
const OWN_STATUS = /#([245]\.\d{1,3}\.\d{1,3})\b/;
const ANY_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;
/** A bare reply code where a server's answer is quoted: at a line's start, after "said:" and the like. */
const BASIC_REPLY = /(?:^|said:|reason:|returned\s'|<<<)\s*([45])[0-5]\d(?=[\s-]|$)/m;

/** The status code a recipient's diagnostic gives, and the line that gives it. */
function statusIn(lines: string[]): { status?: string; line?: string } {
  for (const pattern of [REPLY_WITH_STATUS, OWN_STATUS, ANY_STATUS]) {
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) return { status: m[1]!, line };
    }
  }
  for (const line of lines) {
    // As Sendmail and Exim do when they write a DSN for a reply without an enhanced code.
    const m = BASIC_REPLY.exec(line);
    if (m) return { status: `${m[1]}.0.0`, line };
  }
  return lines.length ? { line: lines[0]! } : {};
}

/** The header fields of the message quoted after the marker (blank lines before it skipped). */
function quotedHeaders(text: string, marker: RegExp): Map<string, string> {
  const at = marker.exec(text);
  if (!at) return new Map();
  const rest = text
    .slice(at.index + at[0].length)
    .replace(/^[^\n]*\n/, '')
    .replace(/^(?:[ \t]*\n)+/, '');
  return headerFields(rest);
}

/**
 * Reads `text` (the decoded text of a message that is not a multipart/report) as a plain-text
 * bounce; undefined when no known form's wording is there. `failedRecipients` is Exim's
 * X-Failed-Recipients header, used when the text lists nobody.
 */
export function readPlainTextBounce(text: string, failedRecipients?: string): PlainTextBounce | undefined {
  // Lines quoted with ">" are someone forwarding or answering a bounce, not a bounce.
  const unquoted = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !line.startsWith('>'))
    .join('\n');
  const form = FORMS.find((f) => f.starts.test(unquoted));
  if (!form) return undefined;
  const start = form.starts.exec(unquoted)!.index;
  const end = form.original.exec(unquoted)?.index ?? unquoted.length;
  const notice = unquoted.slice(start, Math.max(start, end));
  const action = form.delayed?.test(notice) ? 'delayed' : 'failed';

  // Each recipient's lines: from the line that names it to the next line that names one.
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of notice.split('\n')) {
    const named = ADDRESS_LINE.exec(line);
    if (named) {
      const address = named[1]!.toLowerCase();
      current = blocks.get(address) ?? [];
      blocks.set(address, current);
      const after = line
        .slice(line.indexOf(named[1]!) + named[1]!.length)
        .replace(/^>?(?:<mailto:[^>]*>)?\s*:?\s*/, '');
      if (after && !/^on\s/.test(after)) current.push(after.trim());
      continue;
    }
    // Section rules ("----- Transcript of session follows -----") belong to no recipient.
    if (current && line.trim() && !/^\s*-{3,}.*-{3,}\s*$/.test(line)) current.push(line.trim());
  }
  if (!blocks.size) {
    const listed = (failedRecipients ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const lines = notice
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const address of listed.length ? listed : ['']) blocks.set(address.toLowerCase(), lines);
  }

  const recipients = [...blocks].map(([address, lines]) => {
    const { status, line } = statusIn(lines);
    const fields = new Map<string, string>([['action', action]]);
    if (address) fields.set('final-recipient', `rfc822; ${address}`);
    if (status) fields.set('status', status);
    if (line) fields.set('diagnostic-code', line.slice(0, 500));
    return fields;
  });
  return { mta: form.mta, recipients, originalHeaders: quotedHeaders(unquoted, form.original) };
}
