import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { engineOf } from './engine.ts';
import type { Database, SubscribersTable, SystemEmailsTable } from './schema.ts';

/** A reader's row (the same as subscribers.ts's `Subscriber`, which imports this module). */
type Subscriber = Selectable<SubscribersTable>;

/** A confirmation, welcome or goodbye as it enters the queue. */
export interface NewSystemEmail {
  kind: SystemEmailsTable['kind'];
  messageId: string;
  /** When it was asked for (the confirmation's link is signed with this time). */
  at: number;
  /** When it is no longer worth sending. */
  expiresAt: number;
}

/** A queued email a sender has taken (its lease began at `claimedAt`), with its reader as they are now. */
export interface ClaimedSystemEmail {
  id: number;
  kind: SystemEmailsTable['kind'];
  messageId: string;
  createdAt: number;
  expiresAt: number | null;
  attempts: number;
  claimedAt: number;
  subscriber: Subscriber;
}

/**
 * The durable queue of confirmations, welcomes and goodbyes (`system_emails`). Rows are put in by
 * the subscriber store, in the transaction of the change that calls for them; senders take them
 * with a lease (`claimed_at`), so any number of processes send each one once: on PostgreSQL the
 * next due row is taken with FOR UPDATE SKIP LOCKED, as the delivery ledger does; SQLite has one
 * writer at a time, where the conditional UPDATE is the same thing.
 */
export interface SystemEmailQueue {
  /** Takes one queued email by id (the process that queued it sends it at once); undefined when another holds it or it is settled. */
  claimSystemEmail(id: number, now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined>;
  /** Takes the next queued email due by `now` whose lease (if any) began before `staleBefore`. */
  claimNextSystemEmail(now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined>;
  systemEmailSent(id: number, now: number): Promise<void>;
  /**
   * Back to the queue after a failed attempt, due again at `nextAttemptAt`. `counted` false: the
   * relay, not this email, failed (down, stalled), so the attempt is not counted against it.
   */
  systemEmailRetry(
    id: number,
    claimedAt: number,
    retry: { nextAttemptAt: number; error: string | null; counted: boolean },
  ): Promise<void>;
  /** Settled without sending: refused for good (`failed`), no longer wanted (`cancelled`) or too late (`expired`). */
  systemEmailSettled(
    id: number,
    claimedAt: number,
    state: 'failed' | 'cancelled' | 'expired',
    error: string | null,
  ): Promise<void>;
  /** Queued emails past their expiry become `expired`, unsent; returns how many, by kind. */
  expireSystemEmails(now: number): Promise<Partial<Record<SystemEmailsTable['kind'], number>>>;
  /** Unsent confirmations waiting in the queue, counted up to `cap` + 1 (enough to say "over the bound"). */
  waitingConfirmations(cap: number): Promise<number>;
}

/** Inserts a queued email in `trx`; undefined when it may not go (a second welcome: the database allows one). */
export async function queueIn(
  trx: Kysely<Database> | Transaction<Database>,
  subscriberId: number,
  email: NewSystemEmail,
): Promise<number | undefined> {
  const row = await trx
    .insertInto('system_emails')
    .values({
      subscriber_id: subscriberId,
      kind: email.kind,
      message_id: email.messageId,
      created_at: email.at,
      sent_at: null,
      claimed_at: null,
      state: 'queued',
      attempts: 0,
      next_attempt_at: email.at,
      expires_at: email.expiresAt,
      last_error: null,
    })
    // The partial unique index allows one welcome per subscriber; a second insert does nothing.
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

const CLAIMED = [
  'id',
  'subscriber_id',
  'kind',
  'message_id',
  'created_at',
  'expires_at',
  'attempts',
  'claimed_at',
] as const;

export function kyselySystemEmailQueue(db: Kysely<Database>): SystemEmailQueue {
  const postgres = engineOf(db) === 'postgres';
  /** Nobody holds it, or the one who did took it before `staleBefore` (their process died). */
  const free = (staleBefore: number) => (eb: ExpressionBuilder<Database, 'system_emails'>) =>
    eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', staleBefore)]);

  async function withReader(
    row:
      | {
          id: number;
          subscriber_id: number;
          kind: SystemEmailsTable['kind'];
          message_id: string;
          created_at: number;
          expires_at: number | null;
          attempts: number;
          claimed_at: number | null;
        }
      | undefined,
    now: number,
  ) {
    if (!row) return undefined;
    const subscriber = await db
      .selectFrom('subscribers')
      .selectAll()
      .where('id', '=', row.subscriber_id)
      .executeTakeFirst();
    // Erased meanwhile: the row went with them (foreign keys cascade), nothing to send.
    if (!subscriber) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      messageId: row.message_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      attempts: row.attempts,
      claimedAt: row.claimed_at ?? now,
      subscriber,
    };
  }

  return {
    async claimSystemEmail(id, now, staleBefore) {
      const row = await db
        .updateTable('system_emails')
        .set({ claimed_at: now })
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .where(free(staleBefore))
        .returning(CLAIMED)
        .executeTakeFirst();
      return withReader(row, now);
    },
    async claimNextSystemEmail(now, staleBefore) {
      const next = db
        .selectFrom('system_emails')
        .select('id')
        .where('state', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .where(free(staleBefore))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1);
      const row = await db
        .updateTable('system_emails')
        .set({ claimed_at: now })
        // SKIP LOCKED: two senders at the same tick take different rows instead of queueing on one.
        .where('id', '=', postgres ? next.forUpdate().skipLocked() : next)
        .where('state', '=', 'queued')
        .where(free(staleBefore))
        .returning(CLAIMED)
        .executeTakeFirst();
      return withReader(row, now);
    },
    async systemEmailSent(id, now) {
      // Whoever's lease: the server took it, so it is sent.
      await db
        .updateTable('system_emails')
        .set({ state: 'sent', sent_at: now, next_attempt_at: null, claimed_at: null, last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async systemEmailRetry(id, claimedAt, retry) {
      await db
        .updateTable('system_emails')
        .set((eb) => ({
          claimed_at: null,
          next_attempt_at: retry.nextAttemptAt,
          last_error: retry.error?.slice(0, 500) ?? null,
          attempts: retry.counted ? eb('attempts', '+', 1) : eb.ref('attempts'),
        }))
        .where('id', '=', id)
        .where('state', '=', 'queued')
        // Only while the lease is still ours: a sender that took it over may have sent it.
        .where('claimed_at', '=', claimedAt)
        .execute();
    },
    async systemEmailSettled(id, claimedAt, state, error) {
      await db
        .updateTable('system_emails')
        .set((eb) => ({
          state,
          next_attempt_at: null,
          claimed_at: null,
          last_error: error?.slice(0, 500) ?? null,
          attempts: state === 'failed' ? eb('attempts', '+', 1) : eb.ref('attempts'),
        }))
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .where('claimed_at', '=', claimedAt)
        .execute();
    },
    async expireSystemEmails(now) {
      const rows = await db
        .updateTable('system_emails')
        .set({ state: 'expired', next_attempt_at: null, claimed_at: null })
        .where('state', '=', 'queued')
        .where('expires_at', '<=', now)
        .returning('kind')
        .execute();
      const byKind: Partial<Record<SystemEmailsTable['kind'], number>> = {};
      for (const r of rows) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      return byKind;
    },
    async waitingConfirmations(cap) {
      const row = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('system_emails')
            .select(sql`1`.as('one'))
            .where('state', '=', 'queued')
            .where('kind', '=', 'confirm')
            .limit(cap + 1)
            .as('waiting'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
