import type { Series } from '../content/index.ts';
import type { FinishedEmail } from '../render/index.ts';
import { cleanName } from '../render/personalise.ts';
import { listIdFor, senderOf, stableMessageId } from './headers.ts';
import type { OutgoingMessage } from './mailer.ts';

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

/** One finished tip email for one reader, with the list headers the contract asks for. */
export function composeTipMessage(
  email: FinishedEmail,
  to: TipRecipient,
  sender: Sender,
  ids: { messageId: string; unsubscribeUrl: string; slug: string; returnPath?: string },
): OutgoingMessage {
  const name = cleanName(to.name);
  return {
    to: to.email,
    ...(name ? { toName: name } : {}),
    from: sender.from,
    subject: email.subject,
    html: email.html,
    text: email.text,
    ...(email.encoded ? { encoded: email.encoded } : {}),
    messageId: ids.messageId,
    unsubscribeUrl: ids.unsubscribeUrl,
    listId: sender.listId,
    ...(ids.returnPath ? { returnPath: ids.returnPath } : {}),
    // Lets a support person or a test tell which tip a message is without parsing the subject.
    headers: { 'X-Newsletter-Tip': ids.slug },
  };
}
