import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { OutgoingMessage } from './mailer.ts';
import type { EncodedPart } from './quoted-printable.ts';

/** NEWSLETTER_FROM when set, otherwise the sender named in series.yml, its name quoted. */
export function senderOf(series: { from: { name: string; address: string } }, override?: string): string {
  if (override) return override;
  const name = series.from.name.replace(/["\\\r\n]/g, '');
  return `"${name}" <${series.from.address}>`;
}

/** The domain of a `Name <address>` or bare address. */
export function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim().toLowerCase() || 'localhost';
}

/** `<tip.stop-it.0.AbC123@example.org>`: stable for one subscriber, one email and one cycle. */
export function stableMessageId(parts: readonly (string | number)[], from: string): string {
  const local = parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '-')).join('.');
  return `<ncw.${local}@${domainOf(from)}>`;
}

/** List-Id from the newsletter's name and sender domain: `Night Cramp Weekly <night-cramp-weekly.example.org>`. */
export function listIdFor(seriesName: string, from: string): string {
  const label =
    seriesName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'newsletter';
  return `${seriesName.replace(/[<>"\r\n]/g, '')} <${label}.${domainOf(from)}>`;
}

/**
 * Gmail's feedback loop header, `Feedback-ID: a:b:c:SenderId` (Google's Postmaster Tools then
 * report complaint rates per identifier): the tip's slug, the newsletter's label, the sender's
 * domain, and a SenderId of 5 to 15 characters that stays the same across the whole stream
 * (`ncw` and 10 hex digits of the List-Id's hash). Nothing in it is about one reader: Google
 * aggregates by these fields and drops ones unique to a message.
 */
export function feedbackIdFor(slug: string, listId: string, from: string): string {
  const field = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '-');
  const label = /<([^.>]+)\./.exec(listId)?.[1] ?? 'newsletter';
  const senderId = `ncw${createHash('sha256').update(listId).digest('hex').slice(0, 10)}`;
  return [field(slug), field(label), field(domainOf(from)), senderId].join(':');
}

/**
 * The header fields the DKIM signature covers: nodemailer's own list (RFC 6376's, with
 * List-Unsubscribe-Post for RFC 8058), plus Feedback-ID (Gmail ignores one an aligned signature
 * does not cover) and RFC 9477's CFBL-Address and CFBL-Feedback-ID (which must be signed).
 */
export const DKIM_SIGNED_FIELDS = [
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding',
  'Content-ID:Content-Description:Resent-Date:Resent-From:Resent-Sender:Resent-To:Resent-Cc:Resent-Message-ID',
  'In-Reply-To:References:List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post',
  'List-Owner:List-Archive:Feedback-ID:CFBL-Address:CFBL-Feedback-ID',
].join(':');

/**
 * The address as it goes on the wire: an international domain in its IDNA ASCII form, so a
 * server without SMTPUTF8 takes it (the store keeps the form the reader typed, for display).
 */
export function wireAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (at < 0 || /^\p{ASCII}*$/u.test(domain)) return address;
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain}`;
}

/** A MIME part, headers and body, from a body already encoded. */
const rawPart = (type: string, part: EncodedPart) =>
  `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${part.encoding}\r\n\r\n${part.body}`;

/**
 * nodemailer message options with the list headers the contract and RFC 8058 ask for:
 * List-Unsubscribe with the signed https link and List-Unsubscribe-Post for one-click.
 */
export function toNodemailer(message: OutgoingMessage) {
  const headers: Record<string, string> = { ...message.headers };
  if (message.listId) headers['List-Id'] = message.listId;
  if (message.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    from: message.from,
    to: message.toName ? { name: message.toName, address: wireAddress(message.to) } : wireAddress(message.to),
    subject: message.subject,
    // Parts encoded with the compiled email go as they are (nodemailer adds nothing to a raw
    // part); otherwise nodemailer encodes them.
    ...(message.encoded
      ? {
          text: { raw: rawPart('text/plain', message.encoded.text) },
          html: { raw: rawPart('text/html', message.encoded.html) },
        }
      : { html: message.html, text: message.text }),
    messageId: message.messageId,
    headers,
    ...(message.returnPath ? { envelope: { from: message.returnPath, to: [message.to] } } : {}),
    // Our HTML and text are mostly ASCII: quoted-printable keeps them readable and spares
    // nodemailer scanning every part to choose an encoding (a third of its time per message).
    textEncoding: 'quoted-printable' as const,
    // Health mail: no tracking, no remote content, nothing else to add.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
