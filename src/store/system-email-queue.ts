import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { engineOf } from './engine.ts';
import type { Database, SystemEmailsTable } from './schema.ts';
import { SUBSCRIBER, type ClaimedSystemEmail, type NewSystemEmail } from './subscriber-rows.ts';

export type { ClaimedSystemEmail, NewSystemEmail } from './subscriber-rows.ts';

/*
 * The durable queue of confirmations, welcomes and goodbyes (`system_emails`): the
 * SystemEmailQueue that subscription/subscriber-store.ts declares. Rows are put in by the
 * subscriber store, in the transaction of the change that calls for them; senders take them with
 * a lease (`claimed_at`), so any number of processes send each one once: on PostgreSQL the next
 * due row is taken with FOR UPDATE SKIP LOCKED, as the delivery ledger does; SQLite has one writer
 * at a time, where the conditional UPDATE is the same thing.
 */

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
  'subscriber_id as subscriberId',
  'kind',
  'message_id as messageId',
  'created_at as createdAt',
  'expires_at as expiresAt',
  'attempts',
  'claimed_at as claimedAt',
] as const;

/** Nobody holds it, or the one who did took it before `staleBefore` (their process died). */
const free = (staleBefore: number) => (eb: ExpressionBuilder<Database, 'system_emails'>) =>
  eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', staleBefore)]);

/** Taking queued emails: one by id, or the next one due, each with its reader as they are now. */
function systemEmailClaims(db: Kysely<Database>) {
  const postgres = engineOf(db) === 'postgres';

  async function withReader(
    row:
      | (Omit<ClaimedSystemEmail, 'subscriber' | 'claimedAt'> & { subscriberId: number; claimedAt: number | null })
      | undefined,
    now: number,
  ): Promise<ClaimedSystemEmail | undefined> {
    if (!row) return undefined;
    const subscriber = await db
      .selectFrom('subscribers')
      .select(SUBSCRIBER)
      .where('id', '=', row.subscriberId)
      .executeTakeFirst();
    // Erased meanwhile: the row went with them (foreign keys cascade), nothing to send.
    if (!subscriber) return undefined;
    const { subscriberId: _, ...email } = row;
    return { ...email, claimedAt: row.claimedAt ?? now, subscriber };
  }

  return {
    /** Takes one queued email by id (the process that queued it sends it at once); undefined when another holds it or it is settled. */
    async claimSystemEmail(id: number, now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined> {
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
    /** Takes the next queued email due by `now` whose lease (if any) began before `staleBefore`. */
    async claimNextSystemEmail(now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined> {
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
  };
}

/** Settling a claimed email: sent, back to the queue, or given up. */
function systemEmailSettles(db: Kysely<Database>) {
  return {
    async systemEmailSent(id: number, now: number): Promise<void> {
      // Whoever's lease: the server took it, so it is sent.
      await db
        .updateTable('system_emails')
        .set({ state: 'sent', sent_at: now, next_attempt_at: null, claimed_at: null, last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async systemEmailRetry(
      id: number,
      claimedAt: number,
      retry: { nextAttemptAt: number; error: string | null; counted: boolean },
    ): Promise<void> {
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
    async systemEmailSettled(
      id: number,
      claimedAt: number,
      state: 'failed' | 'cancelled' | 'expired',
      error: string | null,
    ): Promise<void> {
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
    async expireSystemEmails(now: number): Promise<Partial<Record<SystemEmailsTable['kind'], number>>> {
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
  };
}

/** The queue over Kysely, on both engines. */
export function kyselySystemEmailQueue(db: Kysely<Database>) {
  return {
    ...systemEmailClaims(db),
    ...systemEmailSettles(db),
    async waitingConfirmations(cap: number): Promise<number> {
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
