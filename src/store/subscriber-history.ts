import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Everything stored about one subscriber besides their row: for "download my data". */
export interface SubscriberHistory {
  deliveries: {
    tipSlug: string;
    week: number;
    cycle: number;
    state: string;
    attempts: number;
    messageId: string;
    createdAt: number;
    sentAt: number | null;
    attemptLog: { at: number; outcome: string; response: string | null }[];
  }[];
  systemEmails: { kind: string; messageId: string; createdAt: number; sentAt: number | null; state: string }[];
  /** The reader's "Did this help?" answers, one per tip. */
  feedback: { tipSlug: string; answer: string; comment: string | null; createdAt: number; updatedAt: number }[];
  /** Bounces and complaints reported about them, and bounces lifted. */
  bounces: { kind: string; source: string; status: string | null; detail: string | null; receivedAt: number }[];
}

/** The tip deliveries of one reader, each with its attempts. */
async function deliveriesOf(db: Kysely<Database>, id: number): Promise<SubscriberHistory['deliveries']> {
  // Read-only look at the delivery ledger (owned by the delivery code) for "download my data".
  const deliveries = await db
    .selectFrom('deliveries')
    .select([
      'id',
      'tip_slug as tipSlug',
      'week',
      'cycle',
      'state',
      'attempts',
      'message_id as messageId',
      'created_at as createdAt',
      'sent_at as sentAt',
    ])
    .where('subscriber_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const attempts = deliveries.length
    ? await db
        .selectFrom('delivery_attempts')
        .select(['delivery_id as deliveryId', 'at', 'outcome', 'response'])
        .where(
          'delivery_id',
          'in',
          deliveries.map((d) => d.id),
        )
        .orderBy('at')
        .execute()
    : [];
  return deliveries.map(({ id: deliveryId, ...d }) => ({
    ...d,
    attemptLog: attempts.filter((a) => a.deliveryId === deliveryId).map(({ deliveryId: _, ...a }) => a),
  }));
}

/** One reader's deliveries, system emails, feedback answers and bounces, oldest first. */
export async function subscriberHistory(db: Kysely<Database>, id: number): Promise<SubscriberHistory> {
  const deliveries = await deliveriesOf(db, id);
  const systemEmails = await db
    .selectFrom('system_emails')
    .select(['kind', 'message_id as messageId', 'created_at as createdAt', 'sent_at as sentAt', 'state'])
    .where('subscriber_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const feedback = await db
    .selectFrom('feedback')
    .select(['tip_slug as tipSlug', 'answer', 'comment', 'created_at as createdAt', 'updated_at as updatedAt'])
    .where('subscriber_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const bounces = await db
    .selectFrom('bounce_events')
    .select(['kind', 'source', 'status', 'detail', 'received_at as receivedAt'])
    .where('subscriber_id', '=', id)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return { feedback, bounces, deliveries, systemEmails };
}
