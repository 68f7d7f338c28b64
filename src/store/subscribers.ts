import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { assertWritable } from './write-probe.ts';
import type { Database, SubscriberStatus, SubscribersTable, SuppressionsTable, SystemEmailsTable } from './schema.ts';
import { kyselySystemEmailQueue, queueIn, type NewSystemEmail, type SystemEmailQueue } from './system-email-queue.ts';

export type Subscriber = Selectable<SubscribersTable>;
export type NewSubscriber = Insertable<SubscribersTable>;
/** The columns the subscription rules change; ids and the address never change. */
export type SubscriberPatch = Omit<Updateable<SubscribersTable>, 'id' | 'public_id' | 'email_normalized' | 'cycle'>;
export type Suppression = Selectable<SuppressionsTable>;
export type SuppressionReason = SuppressionsTable['reason'];
export type SystemEmailKind = SystemEmailsTable['kind'];

/** What the subscription rules ask of a sign-up that wants a confirmation (see `signUp`). */
export interface ConfirmationRequest {
  /** The 10-minute rule: none may have been queued at or after this (ms). */
  lastAllowedBefore: number;
  /** The daily rule: at most `most` confirmations to this reader created after `since`. */
  most: number;
  since: number;
  email: NewSystemEmail;
}

/** The row as found (or made), and either the queued confirmation's id or why none was queued; neither when none was asked for. */
export interface SignUpResult {
  subscriber: Subscriber;
  created: boolean;
  queued?: number;
  refused?: 'recent' | 'daily-limit';
}

/** Everything stored about one subscriber besides their row: for "download my data". */
export interface SubscriberHistory {
  deliveries: {
    tip_slug: string;
    week: number;
    cycle: number;
    state: string;
    attempts: number;
    message_id: string;
    created_at: number;
    sent_at: number | null;
    attemptLog: { at: number; outcome: string; response: string | null }[];
  }[];
  systemEmails: { kind: string; message_id: string; created_at: number; sent_at: number | null; state: string }[];
  /** The reader's "Did this help?" answers, one per tip. */
  feedback: { tip_slug: string; answer: string; comment: string | null; created_at: number; updated_at: number }[];
  /** Bounces and complaints reported about them, and bounces lifted. */
  bounces: { kind: string; source: string; status: string | null; detail: string | null; received_at: number }[];
}

/**
 * The subscriber list as the subscription rules and the operator's commands see it. All SQL for
 * subscribers and suppressions lives behind this interface; the one implementation below runs
 * on SQLite and PostgreSQL alike.
 */
export interface SubscriberStore extends SystemEmailQueue {
  /** Resolves when the database answers and can take a write (the health check); throws otherwise. */
  ping(): Promise<void>;
  byEmail(normalized: string): Promise<Subscriber | undefined>;
  byPublicId(publicId: string): Promise<Subscriber | undefined>;
  /** Inserts unless the address is already there; `created` says which happened. */
  insert(row: NewSubscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  /**
   * Changes one subscriber, only while their status is one of `whenStatus` (any when omitted),
   * so two requests racing on one subscriber cannot both make the same transition.
   * True when the row changed.
   */
  update(id: number, patch: SubscriberPatch, whenStatus?: readonly SubscriberStatus[]): Promise<boolean>;
  /** Starts the series again: the next cycle, with the given next send time. */
  restartCycle(id: number, patch: SubscriberPatch): Promise<boolean>;
  /**
   * A sign-up, in one transaction: the row is inserted unless the address is there already
   * (`created` says which); `decide` (pure) says from the row as found whether a confirmation is
   * asked for, and under which rules. The confirmation is then queued in the same transaction as
   * its claim on the row (`confirm_sent_at`), or refused: `recent` (one was queued at or after
   * `lastAllowedBefore`), `daily-limit` (`most` since `since` already).
   */
  signUp(
    row: NewSubscriber,
    decide: (subscriber: Subscriber, created: boolean) => ConfirmationRequest | undefined,
  ): Promise<SignUpResult>;
  /**
   * `update`, and when the row changed, `email` queued for them in the same transaction (a
   * welcome with the activation, a goodbye with the unsubscribe). `queued` is its id; absent
   * when the row did not change or the email may not go (a second welcome).
   */
  updateAndQueue(
    id: number,
    patch: SubscriberPatch,
    whenStatus: readonly SubscriberStatus[],
    email: NewSystemEmail,
  ): Promise<{ changed: boolean; queued?: number }>;
  /** Erases one subscriber; their deliveries and system emails go with them (foreign keys cascade). */
  remove(id: number): Promise<void>;
  /** Every subscriber, oldest first, read in pages so a long list never sits in memory at once. */
  list(filter?: { status?: SubscriberStatus }): AsyncIterable<Subscriber>;
  countByStatus(): Promise<Partial<Record<SubscriberStatus, number>>>;
  history(id: number): Promise<SubscriberHistory>;
  /** Deletes pending subscribers created before `createdBefore`; returns how many. */
  purgePending(createdBefore: number): Promise<number>;
  suppression(emailHash: string): Promise<Suppression | undefined>;
  /**
   * Puts an address hash on the suppression list. An existing entry keeps its reason, except
   * that `erased` replaces `unsubscribed` (the stronger wish wins; bounces and complaints stay).
   */
  suppress(emailHash: string, reason: SuppressionReason, now: number): Promise<void>;
  unsuppress(emailHash: string): Promise<void>;
  /**
   * Lifts a bounce in one transaction: the reader (only while bounced) gets `patch`, the 'bounced'
   * suppression goes, and a 'lifted' bounce event keeps `reason` (soft bounces count from it).
   */
  liftBounce(id: number, emailHash: string, patch: SubscriberPatch, reason: string, now: number): Promise<boolean>;
}

const PAGE = 500;

export async function countByStatus(db: Kysely<Database>): Promise<Partial<Record<SubscriberStatus, number>>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The SubscriberStore over Kysely: SQL both engines run (no dialect-only syntax), times in integer ms. */
export function createSubscriberStore(db: Kysely<Database>): SubscriberStore {
  return {
    ...kyselySystemEmailQueue(db),
    async ping() {
      await sql`select 1`.execute(db);
      await assertWritable(db);
    },
    byEmail: (normalized) =>
      db.selectFrom('subscribers').selectAll().where('email_normalized', '=', normalized).executeTakeFirst(),
    byPublicId: (publicId) =>
      db.selectFrom('subscribers').selectAll().where('public_id', '=', publicId).executeTakeFirst(),
    async insert(row) {
      const inserted = await db
        .insertInto('subscribers')
        .values(row)
        .onConflict((oc) => oc.column('email_normalized').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { subscriber: inserted, created: true };
      const existing = await db
        .selectFrom('subscribers')
        .selectAll()
        .where('email_normalized', '=', row.email_normalized)
        .executeTakeFirstOrThrow();
      return { subscriber: existing, created: false };
    },
    async update(id, patch, whenStatus) {
      let q = db.updateTable('subscribers').set(patch).where('id', '=', id);
      if (whenStatus) q = q.where('status', 'in', [...whenStatus]);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async restartCycle(id, patch) {
      const r = await db
        .updateTable('subscribers')
        .set((eb) => ({ ...patch, cycle: eb('cycle', '+', 1) }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async signUp(row, decide) {
      return db.transaction().execute(async (trx): Promise<SignUpResult> => {
        const inserted = await trx
          .insertInto('subscribers')
          .values(row)
          .onConflict((oc) => oc.column('email_normalized').doNothing())
          .returningAll()
          .executeTakeFirst();
        const subscriber =
          inserted ??
          (await trx
            .selectFrom('subscribers')
            .selectAll()
            .where('email_normalized', '=', row.email_normalized)
            .executeTakeFirstOrThrow());
        const created = inserted !== undefined;
        const request = decide(subscriber, created);
        if (!request) return { subscriber, created };
        // Counted before the claim: two requests racing past the count still meet at the claim,
        // which lets one through per 10 minutes (the row is locked on PostgreSQL until commit).
        const recent = await trx
          .selectFrom('system_emails')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('subscriber_id', '=', subscriber.id)
          .where('kind', '=', 'confirm')
          .where('created_at', '>', request.since)
          .executeTakeFirstOrThrow();
        if (Number(recent.n) >= request.most) return { subscriber, created, refused: 'daily-limit' };
        const claimed = await trx
          .updateTable('subscribers')
          .set({ confirm_sent_at: request.email.at })
          .where('id', '=', subscriber.id)
          .where((eb) =>
            eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<', request.lastAllowedBefore)]),
          )
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return { subscriber, created, refused: 'recent' };
        const queued = await queueIn(trx, subscriber.id, request.email);
        if (queued === undefined) throw new Error('the confirmation could not be queued');
        return { subscriber: { ...subscriber, confirm_sent_at: request.email.at }, created, queued };
      });
    },
    async updateAndQueue(id, patch, whenStatus, email) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('subscribers')
          .set(patch)
          .where('id', '=', id)
          .where('status', 'in', [...whenStatus])
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return { changed: false };
        const queued = await queueIn(trx, id, email);
        return queued === undefined ? { changed: true } : { changed: true, queued };
      });
    },
    async remove(id) {
      await db.deleteFrom('subscribers').where('id', '=', id).execute();
    },
    async *list(filter = {}) {
      let after = 0;
      for (;;) {
        let q = db.selectFrom('subscribers').selectAll().where('id', '>', after).orderBy('id').limit(PAGE);
        if (filter.status) q = q.where('status', '=', filter.status);
        const rows = await q.execute();
        yield* rows;
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    countByStatus: () => countByStatus(db),
    async history(id) {
      // Read-only look at the delivery ledger (owned by the delivery code) for "download my data".
      const deliveries = await db
        .selectFrom('deliveries')
        .select(['id', 'tip_slug', 'week', 'cycle', 'state', 'attempts', 'message_id', 'created_at', 'sent_at'])
        .where('subscriber_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const attempts = deliveries.length
        ? await db
            .selectFrom('delivery_attempts')
            .select(['delivery_id', 'at', 'outcome', 'response'])
            .where(
              'delivery_id',
              'in',
              deliveries.map((d) => d.id),
            )
            .orderBy('at')
            .execute()
        : [];
      const systemEmails = await db
        .selectFrom('system_emails')
        .select(['kind', 'message_id', 'created_at', 'sent_at', 'state'])
        .where('subscriber_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const feedback = await db
        .selectFrom('feedback')
        .select(['tip_slug', 'answer', 'comment', 'created_at', 'updated_at'])
        .where('subscriber_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const bounces = await db
        .selectFrom('bounce_events')
        .select(['kind', 'source', 'status', 'detail', 'received_at'])
        .where('subscriber_id', '=', id)
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return {
        feedback,
        bounces,
        deliveries: deliveries.map(({ id: deliveryId, ...d }) => ({
          ...d,
          attemptLog: attempts.filter((a) => a.delivery_id === deliveryId).map(({ delivery_id: _, ...a }) => a),
        })),
        systemEmails,
      };
    },
    async purgePending(createdBefore) {
      const r = await db
        .deleteFrom('subscribers')
        .where('status', '=', 'pending')
        .where('created_at', '<', createdBefore)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    suppression: (emailHash) =>
      db.selectFrom('suppressions').selectAll().where('email_hash', '=', emailHash).executeTakeFirst(),
    async suppress(emailHash, reason, now) {
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
    async unsuppress(emailHash) {
      await db.deleteFrom('suppressions').where('email_hash', '=', emailHash).execute();
    },
    async liftBounce(id, emailHash, patch, reason, now) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('subscribers')
          .set(patch)
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
