import type { Series } from '../content/index.ts';
import type { FinishedEmail, PersonalisedEmail } from '../render/index.ts';
import { cleanName } from '../render/personalise.ts';
import { feedbackIdFor, listIdFor, senderOf, stableMessageId } from './headers.ts';
import type { EncodedBody, OutgoingMessage, PlainBody } from './mailer.ts';
import { encodeParts } from './quoted-printable.ts';

/** The sender and list identity every tip carries. */
export interface Sender {
  from: string;
  listId: string;
}

/** NEWSLETTER_FROM if set, else the series' sender; the List-Id follows the sender's domain. */
export function senderFor(series: Pick<Series, 'name' | 'from'>, fromOverride?: string): Sender {
  const from = senderOf(series, fromOverride);
  return { from, listId: listIdFor(series.name, from) };
}

/** Stable for (subscriber, tip, cycle): a resend after a crash carries the same Message-ID. */
export function tipMessageId(subscriberPublicId: string, slug: string, cycle: number, from: string): string {
  return stableMessageId(['tip', slug, cycle, subscriberPublicId], from);
}

export interface TipRecipient {
  email: string;
  name: string | null;
}

/**
 * The body of a message: a finished email goes plain (the transport encodes it), a personalised
 * one is joined straight into quoted-printable, its fixed text encoded once per email.
 */
export function bodyOf(email: FinishedEmail | PersonalisedEmail, encode = encodeParts): PlainBody | EncodedBody {
  return isFinished(email) ? { html: email.html, text: email.text } : { encoded: encode(email) };
}

const isFinished = (email: FinishedEmail | PersonalisedEmail): email is FinishedEmail => typeof email.html === 'string';

/** One tip email for one reader, with the list headers the contract asks for. */
export function composeTipMessage(
  email: FinishedEmail | PersonalisedEmail,
  to: TipRecipient,
  sender: Sender,
  ids: {
    messageId: string;
    unsubscribeUrl: string;
    slug: string;
    returnPath?: string;
    /** RFC 9477: NEWSLETTER_CFBL_ADDRESS and this delivery's signed CFBL-Feedback-ID. */
    cfbl?: { address: string; feedbackId: string };
  },
  /** How a personalised email's parts are encoded; another only for the size bench's "before". */
  encode = encodeParts,
): OutgoingMessage {
  const name = cleanName(to.name);
  return {
    to: to.email,
    ...(name ? { toName: name } : {}),
    from: sender.from,
    subject: email.subject,
    ...bodyOf(email, encode),
    messageId: ids.messageId,
    unsubscribeUrl: ids.unsubscribeUrl,
    listId: sender.listId,
    ...(ids.returnPath ? { returnPath: ids.returnPath } : {}),
    // Lets a support person or a test tell which tip a message is without parsing the subject.
    headers: {
      'X-Newsletter-Tip': ids.slug,
      'Feedback-ID': feedbackIdFor(ids.slug, sender.listId, sender.from),
      ...(ids.cfbl ? { 'CFBL-Address': ids.cfbl.address, 'CFBL-Feedback-ID': ids.cfbl.feedbackId } : {}),
    },
  };
}
