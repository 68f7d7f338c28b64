import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type {
  BounceSettle,
  ClaimedDelivery,
  ClaimOutcome,
  DueCursor,
  DueSubscriber,
  LedgerEntry,
  NewClaim,
  PendingDelivery,
  RelayNote,
  SentSettle,
} from './ledger-rows.ts';
import { countDueSubscribers, dueSubscribersQuery, pendingDeliveriesQuery } from './due.ts';
import { engineOf } from './engine.ts';
import { noteRelayState } from './relay-state.ts';
import { reusableQuery } from './reusable-query.ts';
import type { Database } from './schema.ts';

/**
 * The delivery ledger and the due query, on SQLite or PostgreSQL (Kysely). Double sends across
 * processes are ruled out by the database, not by timing: a claim is a conditional UPDATE of the
 * subscriber's next_send_at (only one claimer sees its expected value) plus an INSERT guarded by
 * the unique (subscriber_id, tip_slug, cycle) constraint, in one transaction; a retry claim is a
 * conditional UPDATE on the row's state and attempt count. Under PostgreSQL's READ COMMITTED
 * this holds too: an UPDATE that meets a row changed by a transaction that committed meanwhile
 * re-checks its WHERE on the new version, and a second INSERT of the same key waits for the
 * first and then does nothing.
 */
export function kyselyDeliveryStore(db: Kysely<Database>) {
  const ledger: Ledger = { db, hot: hotQueries(db), postgres: engineOf(db) === 'postgres' };
  return {
    ...dueReads(db),
    ...ledgerReads(db),
    ...ledgerClaims(ledger),
    pendingRetries: (now: number, staleBefore: number, afterId: number, limit: number) =>
      pendingRetries(db, now, staleBefore, afterId, limit),
    ...claimRenewals(db),
    ...handBacks(db),
    ...failureSettles(db),
    settleBounced: (b: BounceSettle) => settleBounced(db, b),
    noteRelayState: (note: RelayNote) => noteRelayState(db, note),
  };
}

/** The connection, its prepared hot queries, and which engine it is. */
interface Ledger {
  db: Kysely<Database>;
  hot: ReturnType<typeof hotQueries>;
  postgres: boolean;
}

/** Who is due now: the keyset walk, a cursor part-way along it, and how many. */
function dueReads(db: Kysely<Database>) {
  return {
    async dueSubscribers(now: number, after: DueCursor | undefined, limit: number): Promise<DueSubscriber[]> {
      // Keyset over the subscribers_due(status, next_send_at) index: memory stays flat and rows
      // rescheduled by this pass (to the future) drop out of the range by themselves.
      // No FOR UPDATE SKIP LOCKED here: outside a transaction the locks would last only this
      // statement and cost a write per row read. Senders sharing PostgreSQL meet at the claim,
      // which skips a row another one holds (moveNextSend below).
      const rows = await dueSubscribersQuery(db, now)
        .select(['id', 'public_id', 'email', 'name', 'timezone', 'send_time', 'cycle', 'next_send_at', 'last_sent_at'])
        .$if(after !== undefined, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('next_send_at', '>', after!.nextSendAt),
              eb.and([eb('next_send_at', '=', after!.nextSendAt), eb('id', '>', after!.id)]),
            ]),
          ),
        )
        .orderBy('next_send_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        publicId: r.public_id,
        email: r.email,
        name: r.name,
        timezone: r.timezone,
        sendTime: r.send_time,
        cycle: r.cycle,
        nextSendAt: r.next_send_at!,
        lastSentAt: r.last_sent_at,
      }));
    },

    async dueCursorAt(now: number, fraction: number): Promise<DueCursor | undefined> {
      const offset = Math.floor(Math.min(Math.max(fraction, 0), 1) * (await countDueSubscribers(db, now)));
      const row = await dueSubscribersQuery(db, now)
        .select(['id', 'next_send_at'])
        .orderBy('next_send_at')
        .orderBy('id')
        .offset(offset)
        .limit(1)
        .executeTakeFirst();
      return row ? { nextSendAt: row.next_send_at!, id: row.id } : undefined;
    },

    async countDue(now: number, staleBefore: number): Promise<number> {
      const retries = await pendingDeliveriesQuery(db, now, staleBefore)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return (await countDueSubscribers(db, now)) + Number(retries.n);
    },
  };
}

/** What the due readers have had this cycle, and which of their addresses are suppressed. */
function ledgerReads(db: Kysely<Database>) {
  return {
    async ledger(subscriberIds: readonly number[]): Promise<Map<number, LedgerEntry[]>> {
      const out = new Map<number, LedgerEntry[]>(subscriberIds.map((id) => [id, []]));
      if (subscriberIds.length === 0) return out;
      const rows = await db
        .selectFrom('deliveries as d')
        .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
        .whereRef('d.cycle', '=', 's.cycle')
        .where('d.subscriber_id', 'in', subscriberIds)
        .select(['d.subscriber_id', 'd.tip_slug', 'd.state'])
        .execute();
      for (const r of rows) out.get(r.subscriber_id)?.push({ slug: r.tip_slug, state: r.state });
      return out;
    },

    async suppressed(emailHashes: readonly string[]): Promise<Set<string>> {
      if (emailHashes.length === 0) return new Set();
      const rows = await db
        .selectFrom('suppressions')
        .select('email_hash')
        .where('email_hash', 'in', emailHashes)
        .execute();
      return new Set(rows.map((r) => r.email_hash));
    },
  };
}

/**
 * Settles each sent delivery that still exists; how many did. A reader who erased their data
 * while their tip was in flight took its row with them: nothing is written for it (an attempt
 * row would name a delivery that is gone), and the caller does not count it as sent.
 */
async function settleSentIn(
  { hot, postgres }: Ledger,
  trx: Transaction<Database>,
  settles: readonly SentSettle[],
): Promise<number> {
  if (settles.length === 0) return 0;
  // PostgreSQL: the whole group in one statement (a round trip each costs more than the work).
  if (postgres) return Number((await trx.executeQuery(settleAllPostgres(settles))).rows[0]!.settled);
  let settled = 0;
  for (const s of settles) {
    const response = s.response.slice(0, 1000);
    const marked = await trx.executeQuery(
      hot.markSent({ deliveryId: s.deliveryId, at: s.at, response, fingerprint: s.fingerprint ?? null }),
    );
    if (Number(marked.numAffectedRows) === 0) continue;
    await trx.executeQuery(hot.recordSent({ deliveryId: s.deliveryId, at: s.at, response }));
    await trx.executeQuery(hot.afterSent(s));
    settled++;
  }
  return settled;
}
async function claimIn(
  { hot, postgres }: Ledger,
  trx: Transaction<Database>,
  c: NewClaim,
): Promise<{ moved: boolean; id?: number }> {
  if (postgres) {
    const row = (await trx.executeQuery(claimPostgres(c))).rows[0]!;
    return { moved: Number(row.moved) === 1, ...(row.id === null ? {} : { id: Number(row.id) }) };
  }
  const moved = await trx.executeQuery(hot.moveNextSend(c));
  if (Number(moved.numAffectedRows) !== 1) return { moved: false };
  const inserted = (await trx.executeQuery(hot.insertClaim(c))).rows[0];
  return { moved: true, ...(inserted ? { id: inserted.id } : {}) };
}
/**
 * Settles every delivery in `settles` and makes every claim in `claims` in one transaction (group
 * commit: one disk sync for all); each claim is won or lost on its own.
 */
async function claimMany(
  ledger: Ledger,
  claims: readonly NewClaim[],
  settles: readonly SentSettle[],
): Promise<ClaimOutcome> {
  if (claims.length === 0 && settles.length === 0) return { claimed: [], settled: 0 };
  try {
    return await ledger.db.transaction().execute(async (trx) => {
      // Writes come first so SQLite takes the write lock at once (with the busy timeout)
      // instead of failing to upgrade a read snapshot.
      const settled = await settleSentIn(ledger, trx, settles);
      return { claimed: await claimEachIn(ledger, trx, claims), settled };
    });
  } catch (e) {
    // Settles alone that failed saved nothing: the error is all there is to say.
    if (claims.length === 0) throw e;
    // A database error rolled the settles back with the claims: write them on their own, so a
    // message already sent is never left to look unsent. The caller counts these as sent.
    const settled =
      settles.length > 0 ? await ledger.db.transaction().execute((trx) => settleSentIn(ledger, trx, settles)) : 0;
    return { failed: e, settled };
  }
}

/** Each claim of a group, won (the delivery) or lost, inside the group's transaction. */
async function claimEachIn(
  ledger: Ledger,
  trx: Transaction<Database>,
  claims: readonly NewClaim[],
): Promise<(ClaimedDelivery | undefined)[]> {
  const out: (ClaimedDelivery | undefined)[] = [];
  for (const c of claims) {
    const claimed = await claimIn(ledger, trx, c);
    if (claimed.moved && claimed.id !== undefined) {
      out.push({ id: claimed.id, attempts: 1, createdAt: c.at });
      continue;
    }
    if (claimed.moved) {
      // The row exists (another pass claimed this tip): put next_send_at back as this
      // transaction found it, so only this claim is undone, not the whole group.
      await trx.executeQuery(
        ledger.hot.moveNextSend({
          subscriberId: c.subscriberId,
          cycle: c.cycle,
          expectedNextSendAt: c.nextSendAt,
          nextSendAt: c.expectedNextSendAt,
        }),
      );
    }
    out.push(undefined);
  }
  return out;
}

/** The claim steps: a group commit, one claim, and one settle of a message sent. */
function ledgerClaims(ledger: Ledger) {
  return {
    claimMany: (claims: readonly NewClaim[], settles: readonly SentSettle[]) => claimMany(ledger, claims, settles),
    /** One claim, with the settle of a message just sent riding in its transaction. */
    async claimNew(c: NewClaim, settleFirst?: SentSettle): Promise<ClaimedDelivery | undefined> {
      const outcome = await claimMany(ledger, [c], settleFirst ? [settleFirst] : []);
      if ('failed' in outcome) throw outcome.failed;
      return outcome.claimed[0];
    },
    async settleSent(s: SentSettle): Promise<boolean> {
      return (await ledger.db.transaction().execute((trx) => settleSentIn(ledger, trx, [s]))) === 1;
    },
  };
}

/** Deliveries to try again, with their readers, in id order after `afterId`. */
async function pendingRetries(
  db: Kysely<Database>,
  now: number,
  staleBefore: number,
  afterId: number,
  limit: number,
): Promise<PendingDelivery[]> {
  const rows = await pendingDeliveriesQuery(db, now, staleBefore)
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .where('d.id', '>', afterId)
    .select([
      'd.id',
      'd.tip_slug',
      'd.week',
      'd.cycle',
      'd.state',
      'd.attempts',
      'd.message_id',
      'd.created_at',
      'd.claimed_at',
      's.id as subscriber_id',
      's.public_id',
      's.email',
      's.name',
      's.status',
      's.cycle as subscriber_cycle',
      's.timezone',
      's.send_time',
    ])
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.tip_slug,
    week: r.week,
    cycle: r.cycle,
    state: r.state as 'retry' | 'sending',
    attempts: r.attempts,
    messageId: r.message_id,
    createdAt: r.created_at,
    claimedAt: r.claimed_at,
    subscriber: {
      id: r.subscriber_id,
      publicId: r.public_id,
      email: r.email,
      name: r.name,
      status: r.status,
      cycle: r.subscriber_cycle,
      timezone: r.timezone,
      sendTime: r.send_time,
    },
  }));
}

/** Taking a delivery again: a reader's next send moved, a retry claimed, the claims in flight renewed. */
function claimRenewals(db: Kysely<Database>) {
  return {
    async reschedule(subscriberId: number, expected: number, nextSendAt: number | null): Promise<boolean> {
      const r = await db
        .updateTable('subscribers')
        .set({ next_send_at: nextSendAt })
        .where('id', '=', subscriberId)
        .where('status', '=', 'active')
        .where('next_send_at', '=', expected)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async claimRetry(d: PendingDelivery, at: number): Promise<boolean> {
      const r = await db
        .updateTable('deliveries')
        // A delivery the relay handed back before any real attempt starts its 72 hours now.
        .set((eb) => ({
          state: 'sending',
          claimed_at: at,
          attempts: eb('attempts', '+', 1),
          ...(d.attempts === 0 ? { created_at: at } : {}),
        }))
        .where('id', '=', d.id)
        .where('state', '=', d.state)
        .where('attempts', '=', d.attempts)
        // A claim taken as stale must still be as it was read: its sender may have renewed it since.
        .$if(d.state === 'sending', (qb) => qb.where('claimed_at', d.claimedAt === null ? 'is' : '=', d.claimedAt))
        // Read a batch ago: the reader may have left, paused or restarted since.
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('subscribers as s')
              .select('s.id')
              .whereRef('s.id', '=', 'deliveries.subscriber_id')
              .whereRef('s.cycle', '=', 'deliveries.cycle')
              .where('s.status', '=', 'active'),
          ),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async renewClaims(deliveryIds: readonly number[], at: number): Promise<void> {
      if (deliveryIds.length === 0) return;
      await db
        .updateTable('deliveries')
        .set({ claimed_at: at })
        .where('id', 'in', deliveryIds)
        .where('state', '=', 'sending')
        .execute();
    },
  };
}

/** The relay failed, not the reader: a delivery handed back, or charged to its reader after all. */
function handBacks(db: Kysely<Database>) {
  return {
    async settleHandedBack(deliveryId: number, at: number, response: string): Promise<boolean> {
      const r = await db
        .updateTable('deliveries')
        .set((eb) => ({
          state: 'retry',
          attempts: eb('attempts', '-', 1),
          next_attempt_at: at,
          last_response: response.slice(0, 1000),
        }))
        .where('id', '=', deliveryId)
        .where('state', '=', 'sending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async chargeHandedBack(c: {
      deliveryId: number;
      attempts: number;
      at: number;
      response: string;
      nextAttemptAt: number | null;
    }): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const response = c.response.slice(0, 1000);
        const r = await trx
          .updateTable('deliveries')
          .set((eb) => ({
            state: c.nextAttemptAt === null ? 'failed' : 'retry',
            attempts: eb('attempts', '+', 1),
            next_attempt_at: c.nextAttemptAt,
            last_response: response,
          }))
          .where('id', '=', c.deliveryId)
          .where('state', '=', 'retry')
          .where('attempts', '=', c.attempts)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('delivery_attempts')
          .values({ delivery_id: c.deliveryId, at: c.at, outcome: 'temporary', response })
          .execute();
        return true;
      });
    },
  };
}

/**
 * The failure settles. Like the sent one, they write nothing for a delivery that is gone (its
 * reader erased their data meanwhile) and say so with false.
 */
function failureSettles(db: Kysely<Database>) {
  return {
    settleRetry: (deliveryId: number, at: number, response: string, nextAttemptAt: number) =>
      settleFailure(db, deliveryId, { state: 'retry', nextAttemptAt, attempt: { at, outcome: 'temporary' } }, response),
    // A skip (reader gone, tip withdrawn) is not an SMTP attempt; only real attempts are listed.
    settleFailed: (deliveryId: number, at: number, response: string, outcome: 'temporary' | 'skipped') =>
      settleFailure(
        db,
        deliveryId,
        { state: 'failed', nextAttemptAt: null, attempt: outcome === 'temporary' ? { at, outcome } : null },
        response,
      ),
    settleRefused: (deliveryId: number, at: number, response: string, nextAttemptAt: number) =>
      settleFailure(db, deliveryId, { state: 'retry', nextAttemptAt, attempt: { at, outcome: 'permanent' } }, response),
  };
}

interface FailureSettle {
  state: 'retry' | 'failed';
  nextAttemptAt: number | null;
  /** The SMTP attempt to list, or null when there was none. */
  attempt: { at: number; outcome: 'temporary' | 'permanent' } | null;
}

/** One failure settle in one transaction; false when the delivery is gone. */
async function settleFailure(
  db: Kysely<Database>,
  deliveryId: number,
  settle: FailureSettle,
  response: string,
): Promise<boolean> {
  const said = response.slice(0, 1000);
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('deliveries')
      .set({ state: settle.state, next_attempt_at: settle.nextAttemptAt, last_response: said })
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    if (settle.attempt) {
      await trx
        .insertInto('delivery_attempts')
        .values({ delivery_id: deliveryId, at: settle.attempt.at, outcome: settle.attempt.outcome, response: said })
        .execute();
    }
    return true;
  });
}

/** A permanent failure: the delivery and the reader bounced, the address suppressed. */
function settleBounced(db: Kysely<Database>, b: BounceSettle): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('deliveries')
      .set({ state: 'bounced', next_attempt_at: null, last_response: b.response.slice(0, 1000) })
      .where('id', '=', b.deliveryId);
    if (b.heldAttempts !== undefined) q = q.where('state', '=', 'retry').where('attempts', '=', b.heldAttempts);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    // A held refusal's attempt was recorded when it happened.
    if (b.heldAttempts === undefined) {
      await trx
        .insertInto('delivery_attempts')
        .values({ delivery_id: b.deliveryId, at: b.at, outcome: 'permanent', response: b.response.slice(0, 1000) })
        .execute();
    }
    await trx
      .updateTable('subscribers')
      .set({ status: 'bounced', status_changed_at: b.at, next_send_at: null })
      .where('id', '=', b.subscriberId)
      .execute();
    await trx
      .insertInto('suppressions')
      .values({ email_hash: b.emailHash, reason: 'bounced', created_at: b.at })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return true;
  });
}

/**
 * PostgreSQL: a group's sent messages settled in one statement. The same three writes as on
 * SQLite (the delivery sent, its attempt recorded, the reader's next send moved while they are
 * active), over arrays of the group's values, for the deliveries that still exist; `settled`
 * counts them. (Every data-modifying CTE runs to completion whether or not the final select
 * reads it.)
 */
function settleAllPostgres(settles: readonly SentSettle[]): CompiledQuery<{ settled: number | string }> {
  return CompiledQuery.raw(
    `with s as (
       select * from unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[], $5::bigint[], $6::text[]) as s(delivery_id, subscriber_id, at, response, next_send_at, fingerprint)
     ), sent as (
       update deliveries d set state = 'sent', sent_at = s.at, next_attempt_at = null, last_response = s.response, fingerprint = s.fingerprint from s where d.id = s.delivery_id
       returning s.delivery_id, s.subscriber_id, s.at, s.response, s.next_send_at
     ), attempt as (
       insert into delivery_attempts (delivery_id, at, outcome, response) select delivery_id, at, 'sent', response from sent
     ), moved as (
       update subscribers r set last_sent_at = sent.at, next_send_at = case when r.status = 'active' then sent.next_send_at else r.next_send_at end
         from sent where r.id = sent.subscriber_id
     )
     select count(*) as settled from sent`,
    [
      settles.map((s) => s.deliveryId),
      settles.map((s) => s.subscriberId),
      settles.map((s) => s.at),
      settles.map((s) => s.response.slice(0, 1000)),
      settles.map((s) => s.nextSendAt),
      settles.map((s) => s.fingerprint ?? null),
    ],
  ) as CompiledQuery<{ settled: number | string }>;
}

/**
 * PostgreSQL: one claim in one statement, `moveNextSend` and `insertClaim` chained. `moved` says
 * whether this sender took the reader (a row another holds is skipped, not waited for); `id` is
 * null when the delivery already existed (and had not failed: see insertClaim), which the caller
 * undoes as on SQLite.
 */
function claimPostgres(c: NewClaim): CompiledQuery<{ moved: number | string; id: number | null }> {
  return CompiledQuery.raw(
    `with moved as (
       update subscribers set next_send_at = $1
        where id = (select s.id from subscribers s where s.id = $2 and s.status = 'active' and s.cycle = $3 and s.next_send_at = $4 for update skip locked)
       returning id
     ), inserted as (
       insert into deliveries (subscriber_id, tip_slug, cycle, week, state, attempts, message_id, created_at, claimed_at)
       select id, $5, $3, $6, 'sending', 1, $7, $8, $8 from moved
       on conflict (subscriber_id, tip_slug, cycle) do update
         set state = 'sending', attempts = 1, week = excluded.week, created_at = excluded.created_at, claimed_at = excluded.claimed_at, sent_at = null, next_attempt_at = null
         where deliveries.state = 'failed'
       returning id
     )
     select (select count(*) from moved) as moved, (select id from inserted) as id`,
    [c.nextSendAt, c.subscriberId, c.cycle, c.expectedNextSendAt, c.slug, c.week, c.messageId, c.at],
  ) as CompiledQuery<{ moved: number | string; id: number | null }>;
}

/**
 * Moves a reader's next_send_at if it is still what the pass read.
 *
 * On PostgreSQL the row is taken with FOR UPDATE SKIP LOCKED: when another sender (or a site
 * request) holds this subscriber, the claim is lost at once instead of queueing behind it.
 * Waiting buys nothing (the holder is about to move next_send_at, so the condition would fail
 * anyway) and could deadlock: a claim transaction also holds the row it settles first. A
 * reader skipped because of a site write is due again at the next pass. SQLite has one
 * writer at a time, so there the plain conditional UPDATE is the same thing.
 */
function moveNextSendQuery(db: Kysely<Database>) {
  const engine = engineOf(db);
  return reusableQuery(['subscriberId', 'cycle', 'expectedNextSendAt', 'nextSendAt'], (v) =>
    engine === 'postgres'
      ? db
          .updateTable('subscribers')
          .set({ next_send_at: v.nextSendAt })
          .where('id', '=', (eb) =>
            eb
              .selectFrom('subscribers as s')
              .select('s.id')
              .where('s.id', '=', v.subscriberId)
              .where('s.status', '=', 'active')
              .where('s.cycle', '=', v.cycle)
              .where('s.next_send_at', '=', v.expectedNextSendAt)
              .forUpdate()
              .skipLocked(),
          )
      : db
          .updateTable('subscribers')
          .set({ next_send_at: v.nextSendAt })
          .where('id', '=', v.subscriberId)
          .where('status', '=', 'active')
          .where('cycle', '=', v.cycle)
          .where('next_send_at', '=', v.expectedNextSendAt),
  );
}

/** The statements run once per message, built once per store (see reusableQuery). */
function hotQueries(db: Kysely<Database>) {
  return {
    moveNextSend: moveNextSendQuery(db),
    insertClaim: reusableQuery(['subscriberId', 'slug', 'cycle', 'week', 'messageId', 'at'], (v) =>
      db
        .insertInto('deliveries')
        .values({
          subscriber_id: v.subscriberId,
          tip_slug: v.slug,
          cycle: v.cycle,
          week: v.week,
          state: 'sending',
          attempts: 1,
          message_id: v.messageId,
          created_at: v.at,
          claimed_at: v.at,
        })
        // A tip that failed (72 hours of the reader's own temporary failures, or no pass in 72
        // hours) was never had: the reader's next slot takes the same row up again, from scratch.
        // Any other row means another pass claimed this tip: the claim is lost.
        .onConflict((oc) =>
          oc
            .columns(['subscriber_id', 'tip_slug', 'cycle'])
            .doUpdateSet((eb) => ({
              state: 'sending',
              attempts: 1,
              week: eb.ref('excluded.week'),
              created_at: eb.ref('excluded.created_at'),
              claimed_at: eb.ref('excluded.claimed_at'),
              sent_at: null,
              next_attempt_at: null,
            }))
            .where('deliveries.state', '=', 'failed'),
        )
        .returning('id'),
    ),
    markSent: reusableQuery(['deliveryId', 'at', 'response', 'fingerprint'], (v) =>
      db
        .updateTable('deliveries')
        .set({
          state: 'sent',
          sent_at: v.at,
          next_attempt_at: null,
          last_response: v.response,
          fingerprint: v.fingerprint,
        })
        .where('id', '=', v.deliveryId),
    ),
    recordSent: reusableQuery(['deliveryId', 'at', 'response'], (v) =>
      db
        .insertInto('delivery_attempts')
        .values({ delivery_id: v.deliveryId, at: v.at, outcome: 'sent', response: v.response }),
    ),
    // next_send_at moves only while they are active (an unsubscribe may have come meanwhile).
    afterSent: reusableQuery(['subscriberId', 'at', 'nextSendAt'], (v) =>
      db
        .updateTable('subscribers')
        .set((eb) => ({
          last_sent_at: v.at,
          next_send_at: eb.case().when('status', '=', 'active').then(v.nextSendAt).else(eb.ref('next_send_at')).end(),
        }))
        .where('id', '=', v.subscriberId),
    ),
  };
}
