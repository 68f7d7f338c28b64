import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { subscriberUpdate, type SubscriberPatch, type Suppression, type SuppressionReason } from './subscriber-rows.ts';

/** The suppression list (address hashes never mailed again unasked), and lifting a bounce from it. */
export function kyselySuppressions(db: Kysely<Database>) {
  return {
    suppression: (emailHash: string): Promise<Suppression | undefined> =>
      db
        .selectFrom('suppressions')
        .select(['email_hash as emailHash', 'reason', 'created_at as createdAt'])
        .where('email_hash', '=', emailHash)
        .executeTakeFirst(),
    async suppress(emailHash: string, reason: SuppressionReason, now: number): Promise<void> {
      await db
        .insertInto('suppressions')
        .values({ email_hash: emailHash, reason, created_at: now })
        .onConflict((oc) =>
          reason === 'erased'
            ? oc
                .column('email_hash')
                .doUpdateSet({ reason: 'erased', created_at: now })
                .where('suppressions.reason', '=', 'unsubscribed')
            : oc.column('email_hash').doNothing(),
        )
        .execute();
    },
    async unsuppress(emailHash: string): Promise<void> {
      await db.deleteFrom('suppressions').where('email_hash', '=', emailHash).execute();
    },
    liftBounce(id: number, emailHash: string, patch: SubscriberPatch, reason: string, now: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('subscribers')
          .set(subscriberUpdate(patch))
          .where('id', '=', id)
          .where('status', '=', 'bounced')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx
          .deleteFrom('suppressions')
          .where('email_hash', '=', emailHash)
          .where('reason', '=', 'bounced')
          .execute();
        await trx
          .insertInto('bounce_events')
          .values({
            subscriber_id: id,
            delivery_id: null,
            kind: 'lifted',
            source: 'operator',
            status: null,
            detail: reason.slice(0, 1000),
            event_key: `lifted:${id}:${now}:${randomUUID()}`,
            received_at: now,
          })
          .execute();
        return true;
      });
    },
  };
}
