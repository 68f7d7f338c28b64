import { sql, type Kysely } from 'kysely';
import type { CorrectionState, Database } from './schema.ts';

/** One correction of one tip, as the owed-readers query needs it. */
export interface CorrectionQuery {
  slug: string;
  /** The correction's ledger key (TipCorrection.key). */
  key: string;
  /** The fingerprint of the tip's current text: whoever got exactly this is never told. */
  fingerprint: string;
  /** Deliveries sent before this instant (the end of the correction's date, UTC) carried the old text. */
  cutoff: number;
}

/** A reader owed a correction, and the ledger row already made for it, if any. */
export interface OwedReader {
  id: number;
  publicId: string;
  email: string;
  name: string | null;
  timezone: string | null;
  sendTime: string | null;
  /** The row of an earlier attempt: waiting to retry, or left 'sending' by a sender that died. */
  row?: { id: number; state: CorrectionState; attempts: number; claimedAt: number | null; createdAt: number };
}

/**
 * `due`: readers to send to at `now` (no row yet, a retry that is due, or a claim older than
 * `staleBefore`). `untold`: every reader not yet told (the dry run's count), whatever their rows' times.
 */
export type OwedMode = { mode: 'due'; now: number; staleBefore: number } | { mode: 'untold' };

/**
 * The corrections' ledger over Kysely, on both engines. Who is owed is read from the delivery
 * ledger: an active reader whose sent copy of the tip was sent before the cut-off and carried a
 * text other than the current one, and who has no sent copy of the current text or from the
 * cut-off on. A claim is an INSERT guarded by the unique (subscriber, tip, correction) key, or a
 * conditional UPDATE of the row an earlier attempt left, so two senders never both win a reader.
 */
export function kyselyCorrectionStore(db: Kysely<Database>) {
  return {
    ...owedReadersOf(db),
    ...correctionClaims(db),
    /** The server took it: sent, whoever's lease it was under. False when the row is gone (the reader erased). */
    async correctionSent(id: number, at: number, response: string): Promise<boolean> {
      const r = await db
        .updateTable('correction_deliveries')
        .set({
          state: 'sent',
          sent_at: at,
          claimed_at: null,
          next_attempt_at: null,
          last_response: response.slice(0, 1000),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Not sent: tried again at `nextAttemptAt`, or given up (`null`); only while this claim holds it. */
    async correctionNotSent(
      id: number,
      claimedAt: number,
      response: string,
      nextAttemptAt: number | null,
      counted: boolean,
    ): Promise<boolean> {
      const r = await db
        .updateTable('correction_deliveries')
        .set((eb) => ({
          state: nextAttemptAt === null ? 'failed' : 'retry',
          claimed_at: null,
          next_attempt_at: nextAttemptAt,
          last_response: response.slice(0, 1000),
          attempts: counted ? eb.ref('attempts') : eb('attempts', '-', 1),
        }))
        .where('id', '=', id)
        .where('state', '=', 'sending')
        .where('claimed_at', '=', claimedAt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Which of these address hashes are on the suppression list. */
    async suppressed(emailHashes: readonly string[]): Promise<Set<string>> {
      if (emailHashes.length === 0) return new Set();
      const rows = await db
        .selectFrom('suppressions')
        .select('email_hash')
        .where('email_hash', 'in', emailHashes)
        .execute();
      return new Set(rows.map((r) => r.email_hash));
    },

    /** How many readers each correction reached (`sent` rows), by tip and key. */
    async correctionsSent(): Promise<{ slug: string; key: string; sent: number }[]> {
      const rows = await db
        .selectFrom('correction_deliveries')
        .select(['tip_slug', 'correction', (eb) => eb.fn.countAll<number>().as('n')])
        .where('state', '=', 'sent')
        .groupBy(['tip_slug', 'correction'])
        .execute();
      return rows.map((r) => ({ slug: r.tip_slug, key: r.correction, sent: Number(r.n) }));
    },
  };
}

/** Claims over the corrections' ledger (see kyselyCorrectionStore). */
function correctionClaims(db: Kysely<Database>) {
  return {
    /**
     * Takes a reader's correction for sending: the id of the row now 'sending', or undefined when
     * another sender took it first or the reader is no longer active.
     */
    async claimCorrection(c: {
      reader: OwedReader;
      slug: string;
      key: string;
      messageId: string;
      at: number;
    }): Promise<{ id: number; attempts: number; createdAt: number } | undefined> {
      const { row } = c.reader;
      if (!row) {
        // An INSERT … SELECT: made only while the reader is active, and lost (no row returned)
        // when another sender inserted the same (reader, tip, correction) first.
        const inserted = await sql<{ id: number }>`
          insert into correction_deliveries (subscriber_id, tip_slug, correction, state, attempts, message_id, created_at, claimed_at)
          select id, ${c.slug}, ${c.key}, 'sending', 1, ${c.messageId}, cast(${c.at} as bigint), cast(${c.at} as bigint)
            from subscribers where id = ${c.reader.id} and status = 'active'
          on conflict (subscriber_id, tip_slug, correction) do nothing
          returning id`.execute(db);
        const id = inserted.rows[0]?.id;
        return id === undefined ? undefined : { id: Number(id), attempts: 1, createdAt: c.at };
      }
      // An earlier attempt's row: taken only if it is still as it was read (another sender may
      // have taken it since), and only while the reader is active.
      const r = await db
        .updateTable('correction_deliveries')
        .set((eb) => ({ state: 'sending', claimed_at: c.at, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', row.id)
        .where('state', '=', row.state)
        .where('attempts', '=', row.attempts)
        .where('claimed_at', row.claimedAt === null ? 'is' : '=', row.claimedAt)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('subscribers as s')
              .select('s.id')
              .whereRef('s.id', '=', 'correction_deliveries.subscriber_id')
              .where('s.status', '=', 'active'),
          ),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1
        ? { id: row.id, attempts: row.attempts + 1, createdAt: row.createdAt }
        : undefined;
    },
  };
}

/** Who is owed a correction (see kyselyCorrectionStore). */
function owedReadersOf(db: Kysely<Database>) {
  return {
    async owedReaders(q: CorrectionQuery, when: OwedMode, afterId: number, limit: number): Promise<OwedReader[]> {
      const rows = await db
        .selectFrom('subscribers as s')
        .leftJoin('correction_deliveries as c', (join) =>
          join.onRef('c.subscriber_id', '=', 's.id').on('c.tip_slug', '=', q.slug).on('c.correction', '=', q.key),
        )
        .select(['s.id', 's.public_id', 's.email', 's.name', 's.timezone', 's.send_time'])
        .select(['c.id as row_id', 'c.state', 'c.attempts', 'c.claimed_at', 'c.created_at'])
        .where('s.status', '=', 'active')
        .where('s.id', '>', afterId)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('deliveries as d')
              .select('d.id')
              .whereRef('d.subscriber_id', '=', 's.id')
              .where('d.tip_slug', '=', q.slug)
              .where('d.state', '=', 'sent')
              .where('d.sent_at', '<', q.cutoff)
              .where((e) => e.or([e('d.fingerprint', 'is', null), e('d.fingerprint', '<>', q.fingerprint)])),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('deliveries as n')
                .select('n.id')
                .whereRef('n.subscriber_id', '=', 's.id')
                .where('n.tip_slug', '=', q.slug)
                .where('n.state', '=', 'sent')
                .where((e) => e.or([e('n.fingerprint', '=', q.fingerprint), e('n.sent_at', '>=', q.cutoff)])),
            ),
          ),
        )
        // Which ledger rows leave a reader to send to now (`due`), or not yet told (`untold`).
        .where((eb) =>
          when.mode === 'untold'
            ? eb.or([eb('c.id', 'is', null), eb('c.state', 'in', ['sending', 'retry'])])
            : eb.or([
                eb('c.id', 'is', null),
                eb.and([eb('c.state', '=', 'retry'), eb('c.next_attempt_at', '<=', when.now)]),
                eb.and([eb('c.state', '=', 'sending'), eb('c.claimed_at', '<', when.staleBefore)]),
              ]),
        )
        .orderBy('s.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        publicId: r.public_id,
        email: r.email,
        name: r.name,
        timezone: r.timezone,
        sendTime: r.send_time,
        ...(r.row_id === null
          ? {}
          : {
              row: {
                id: r.row_id,
                state: r.state!,
                attempts: r.attempts!,
                claimedAt: r.claimed_at,
                createdAt: r.created_at!,
              },
            }),
      }));
    },
  };
}
