import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { assertWritable } from './write-probe.ts';
import type { Database, SubscriberStatus, SubscribersTable, SuppressionsTable, SystemEmailsTable } from './schema.ts';

export type Subscriber = Selectable<SubscribersTable>;
export type NewSubscriber = Insertable<SubscribersTable>;
/** The columns the subscription rules change; ids and the address never change. */
export type SubscriberPatch = Omit<Updateable<SubscribersTable>, 'id' | 'public_id' | 'email_normalized' | 'cycle'>;
export type Suppression = Selectable<SuppressionsTable>;
export type SuppressionReason = SuppressionsTable['reason'];
export type SystemEmailKind = SystemEmailsTable['kind'];

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
  systemEmails: { kind: string; message_id: string; created_at: number; sent_at: number | null }[];
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
export interface SubscriberStore {
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
   * Takes the right to send a confirmation email now: succeeds only when none was sent at or
   * after `lastAllowedBefore`. Atomic, so a burst of requests sends one email.
   */
  claimConfirmation(id: number, now: number, lastAllowedBefore: number): Promise<boolean>;
  /** Gives a claim back after the email could not be sent, so the reader can try again. */
  releaseConfirmation(id: number, claimedAt: number): Promise<void>;
  /** Records a system email before it is sent; undefined when it may not go (a second welcome). */
  recordSystemEmail(subscriberId: number, kind: SystemEmailKind, messageId: string, now: number): Promise<number | undefined>;
  markSystemEmailSent(id: number, now: number): Promise<void>;
  /**
   * Takes an unsent welcome for a retry: succeeds for one caller only, unless the last claim was
   * made before `staleBefore` (its sender died). Several senders' chores then send it once.
   */
  claimWelcome(id: number, now: number, staleBefore: number): Promise<boolean>;
  /** Gives a claim back after the retry failed, so the next chore may try again at once. */
  releaseWelcome(id: number, claimedAt: number): Promise<void>;
  forgetSystemEmail(id: number): Promise<void>;
  /** Welcomes recorded between the two times but never sent (SMTP failed), to active subscribers. */
  unsentWelcomes(createdAfter: number, createdBefore: number, limit: number): Promise<{ id: number; messageId: string; subscriber: Subscriber }[]>;
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
  const rows = await db.selectFrom('subscribers').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The SubscriberStore over Kysely: SQL both engines run (no dialect-only syntax), times in integer ms. */
export function createSubscriberStore(db: Kysely<Database>): SubscriberStore {
  return {
    async ping() {
      await sql`select 1`.execute(db);
      await assertWritable(db);
    },
    byEmail: (normalized) => db.selectFrom('subscribers').selectAll().where('email_normalized', '=', normalized).executeTakeFirst(),
    byPublicId: (publicId) => db.selectFrom('subscribers').selectAll().where('public_id', '=', publicId).executeTakeFirst(),
    async insert(row) {
      const inserted = await db
        .insertInto('subscribers')
        .values(row)
        .onConflict((oc) => oc.column('email_normalized').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { subscriber: inserted, created: true };
      const existing = await db.selectFrom('subscribers').selectAll().where('email_normalized', '=', row.email_normalized).executeTakeFirstOrThrow();
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
    async claimConfirmation(id, now, lastAllowedBefore) {
      const r = await db
        .updateTable('subscribers')
        .set({ confirm_sent_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<', lastAllowedBefore)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async releaseConfirmation(id, claimedAt) {
      await db.updateTable('subscribers').set({ confirm_sent_at: null }).where('id', '=', id).where('confirm_sent_at', '=', claimedAt).execute();
    },
    async recordSystemEmail(subscriberId, kind, messageId, now) {
      // The partial unique index allows one welcome per subscriber; a second insert does nothing.
      const row = await db
        .insertInto('system_emails')
        .values({ subscriber_id: subscriberId, kind, message_id: messageId, created_at: now, sent_at: null })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return row?.id;
    },
    async markSystemEmailSent(id, now) {
      await db.updateTable('system_emails').set({ sent_at: now }).where('id', '=', id).execute();
    },
    async claimWelcome(id, now, staleBefore) {
      const r = await db
        .updateTable('system_emails')
        .set({ claimed_at: now })
        .where('id', '=', id)
        .where('sent_at', 'is', null)
        .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', staleBefore)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async releaseWelcome(id, claimedAt) {
      await db.updateTable('system_emails').set({ claimed_at: null }).where('id', '=', id).where('claimed_at', '=', claimedAt).execute();
    },
    async forgetSystemEmail(id) {
      await db.deleteFrom('system_emails').where('id', '=', id).execute();
    },
    async unsentWelcomes(createdAfter, createdBefore, limit) {
      const rows = await db
        .selectFrom('system_emails')
        .select(['id as welcome_id', 'message_id', 'subscriber_id'])
        .where('kind', '=', 'welcome')
        .where('sent_at', 'is', null)
        .where('created_at', '>', createdAfter)
        .where('created_at', '<', createdBefore)
        .orderBy('id')
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      const subscribers = await db
        .selectFrom('subscribers')
        .selectAll()
        .where('id', 'in', rows.map((r) => r.subscriber_id))
        .where('status', '=', 'active')
        .execute();
      const byId = new Map(subscribers.map((s) => [s.id, s]));
      return rows.flatMap((r) => {
        const subscriber = byId.get(r.subscriber_id);
        return subscriber ? [{ id: r.welcome_id, messageId: r.message_id, subscriber }] : [];
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
        .select(['kind', 'message_id', 'created_at', 'sent_at'])
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
      const r = await db.deleteFrom('subscribers').where('status', '=', 'pending').where('created_at', '<', createdBefore).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    suppression: (emailHash) => db.selectFrom('suppressions').selectAll().where('email_hash', '=', emailHash).executeTakeFirst(),
    async suppress(emailHash, reason, now) {
      await db
        .insertInto('suppressions')
        .values({ email_hash: emailHash, reason, created_at: now })
        .onConflict((oc) =>
          reason === 'erased'
            ? oc.column('email_hash').doUpdateSet({ reason: 'erased', created_at: now }).where('suppressions.reason', '=', 'unsubscribed')
            : oc.column('email_hash').doNothing(),
        )
        .execute();
    },
    async unsuppress(emailHash) {
      await db.deleteFrom('suppressions').where('email_hash', '=', emailHash).execute();
    },
    async liftBounce(id, emailHash, patch, reason, now) {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable('subscribers').set(patch).where('id', '=', id).where('status', '=', 'bounced').executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx.deleteFrom('suppressions').where('email_hash', '=', emailHash).where('reason', '=', 'bounced').execute();
        await trx
          .insertInto('bounce_events')
          .values({ subscriber_id: id, delivery_id: null, kind: 'lifted', source: 'operator', status: null, detail: reason.slice(0, 1000), event_key: `lifted:${id}:${now}:${randomUUID()}`, received_at: now })
          .execute();
        return true;
      });
    },
  };
}
