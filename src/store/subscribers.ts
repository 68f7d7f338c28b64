import { sql, type Kysely } from 'kysely';
import { assertWritable } from './write-probe.ts';
import type { Database, SubscriberStatus } from './schema.ts';
import {
  SUBSCRIBER,
  subscriberUpdate,
  type NewSubscriber,
  type Subscriber,
  type SubscriberPatch,
} from './subscriber-rows.ts';
import { subscriberHistory } from './subscriber-history.ts';
import { insertOrFind, kyselySignUps } from './subscriber-sign-up.ts';
import { kyselySuppressions } from './suppressions.ts';
import { kyselySystemEmailQueue } from './system-email-queue.ts';

export type {
  ConfirmationRequest,
  NewSubscriber,
  SignUpResult,
  Subscriber,
  SubscriberPatch,
  Suppression,
  SuppressionReason,
} from './subscriber-rows.ts';
export type { SubscriberHistory } from './subscriber-history.ts';

const PAGE = 500;

export async function countByStatus(db: Kysely<Database>): Promise<Partial<Record<SubscriberStatus, number>>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Reading and changing single rows of the subscriber list, as `Subscriber`s. */
function kyselySubscriberRows(db: Kysely<Database>) {
  return {
    byEmail: (normalized: string): Promise<Subscriber | undefined> =>
      db.selectFrom('subscribers').select(SUBSCRIBER).where('email_normalized', '=', normalized).executeTakeFirst(),
    byPublicId: (publicId: string): Promise<Subscriber | undefined> =>
      db.selectFrom('subscribers').select(SUBSCRIBER).where('public_id', '=', publicId).executeTakeFirst(),
    insert: (row: NewSubscriber) => insertOrFind(db, row),
    async update(id: number, patch: SubscriberPatch, whenStatus?: readonly SubscriberStatus[]): Promise<boolean> {
      let q = db.updateTable('subscribers').set(subscriberUpdate(patch)).where('id', '=', id);
      if (whenStatus) q = q.where('status', 'in', [...whenStatus]);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async restartCycle(id: number, patch: SubscriberPatch): Promise<boolean> {
      const r = await db
        .updateTable('subscribers')
        .set((eb) => ({ ...subscriberUpdate(patch), cycle: eb('cycle', '+', 1) }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async remove(id: number): Promise<void> {
      await db.deleteFrom('subscribers').where('id', '=', id).execute();
    },
  };
}

/** The whole list: paged reads, counts, and the purge of sign-ups never confirmed. */
function kyselySubscriberList(db: Kysely<Database>) {
  return {
    async *list(filter: { status?: SubscriberStatus } = {}): AsyncIterable<Subscriber> {
      let after = 0;
      for (;;) {
        let q = db.selectFrom('subscribers').select(SUBSCRIBER).where('id', '>', after).orderBy('id').limit(PAGE);
        if (filter.status) q = q.where('status', '=', filter.status);
        const rows = await q.execute();
        yield* rows;
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    countByStatus: () => countByStatus(db),
    async purgePending(createdBefore: number): Promise<number> {
      const r = await db
        .deleteFrom('subscribers')
        .where('status', '=', 'pending')
        .where('created_at', '<', createdBefore)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/**
 * The subscriber store over Kysely: the SubscriberStore that subscription/subscriber-store.ts
 * declares (it matches that shape without importing it, so store never imports subscription).
 * SQL both engines run (no dialect-only syntax), times in integer ms, rows mapped to camelCase.
 */
export function createSubscriberStore(db: Kysely<Database>) {
  return {
    ...kyselySystemEmailQueue(db),
    async ping(): Promise<void> {
      await sql`select 1`.execute(db);
      await assertWritable(db);
    },
    ...kyselySubscriberRows(db),
    ...kyselySubscriberList(db),
    ...kyselySignUps(db),
    ...kyselySuppressions(db),
    history: (id: number) => subscriberHistory(db, id),
  };
}
