import type { Kysely, Transaction } from 'kysely';
import type { Database, SubscriberStatus } from './schema.ts';
import {
  SUBSCRIBER,
  subscriberRow,
  subscriberUpdate,
  type ConfirmationRequest,
  type NewSubscriber,
  type SignUpResult,
  type Subscriber,
  type SubscriberPatch,
} from './subscriber-rows.ts';
import { queueIn, type NewSystemEmail } from './system-email-queue.ts';

/** Inserts unless the address is there already; the row either way, and whether it is new. */
export async function insertOrFind(
  db: Kysely<Database> | Transaction<Database>,
  row: NewSubscriber,
): Promise<{ subscriber: Subscriber; created: boolean }> {
  const inserted = await db
    .insertInto('subscribers')
    .values(subscriberRow(row))
    .onConflict((oc) => oc.column('email_normalized').doNothing())
    .returning(SUBSCRIBER)
    .executeTakeFirst();
  if (inserted) return { subscriber: inserted, created: true };
  const existing = await db
    .selectFrom('subscribers')
    .select(SUBSCRIBER)
    .where('email_normalized', '=', row.emailNormalized)
    .executeTakeFirstOrThrow();
  return { subscriber: existing, created: false };
}

/**
 * Queues the confirmation `request` asks for, under its rules, with its claim on the row
 * (`confirm_sent_at`) in the same transaction.
 */
async function queueConfirmation(
  trx: Transaction<Database>,
  subscriber: Subscriber,
  request: ConfirmationRequest,
): Promise<Omit<SignUpResult, 'subscriber' | 'created'> & { subscriber?: Subscriber }> {
  // Counted before the claim: two requests racing past the count still meet at the claim,
  // which lets one through per 10 minutes (the row is locked on PostgreSQL until commit).
  const recent = await trx
    .selectFrom('system_emails')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscriber_id', '=', subscriber.id)
    .where('kind', '=', 'confirm')
    .where('created_at', '>', request.since)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= request.most) return { refused: 'daily-limit' };
  const claimed = await trx
    .updateTable('subscribers')
    .set({ confirm_sent_at: request.email.at })
    .where('id', '=', subscriber.id)
    .where((eb) => eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<', request.lastAllowedBefore)]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { refused: 'recent' };
  const queued = await queueIn(trx, subscriber.id, request.email);
  if (queued === undefined) throw new Error('the confirmation could not be queued');
  return { subscriber: { ...subscriber, confirmSentAt: request.email.at }, queued };
}

/** The writes that queue a system email with the change that calls for it, in one transaction. */
export function kyselySignUps(db: Kysely<Database>) {
  return {
    /** See SubscriberStore.signUp in subscription/subscriber-store.ts. */
    signUp(
      row: NewSubscriber,
      decide: (subscriber: Subscriber, created: boolean) => ConfirmationRequest | undefined,
    ): Promise<SignUpResult> {
      return db.transaction().execute(async (trx): Promise<SignUpResult> => {
        const { subscriber, created } = await insertOrFind(trx, row);
        const request = decide(subscriber, created);
        if (!request) return { subscriber, created };
        return { subscriber, created, ...(await queueConfirmation(trx, subscriber, request)) };
      });
    },
    updateAndQueue(
      id: number,
      patch: SubscriberPatch,
      whenStatus: readonly SubscriberStatus[],
      email: NewSystemEmail,
    ): Promise<{ changed: boolean; queued?: number }> {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('subscribers')
          .set(subscriberUpdate(patch))
          .where('id', '=', id)
          .where('status', 'in', [...whenStatus])
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return { changed: false };
        const queued = await queueIn(trx, id, email);
        return queued === undefined ? { changed: true } : { changed: true, queued };
      });
    },
  };
}
