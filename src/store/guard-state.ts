import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** One change of the complaint and bounce guard (migration 009). */
export interface GuardEvent {
  seq: number;
  kind: 'paused' | 'released';
  at: number;
  reason: string;
}

/** What the guard judges: tips delivered in a window and the bounces and complaints in it. */
export interface GuardFigures {
  /** Tips the SMTP server took (ledger state 'sent') in the window. */
  delivered: number;
  /** Tips refused during SMTP (ledger state 'bounced', its last claim in the window). */
  refused: number;
  /** Readers with a hard bounce reported after sending (DSN, webhook) received in the window. */
  hardBounces: number;
  /** Readers who complained (ARF, webhook) in the window. */
  complaints: number;
}

/** The guard's view of the database (src/delivery/complaint-guard.ts declares the shape it needs). */
export function kyselyGuardStore(db: Kysely<Database>) {
  return {
    /** The newest change, the guard's state; undefined before the first. */
    guardLatest: (): Promise<GuardEvent | undefined> =>
      db
        .selectFrom('guard_events')
        .select(['seq', 'kind', 'at', 'reason'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
        .then((r) => (r ? { ...r, seq: Number(r.seq), at: Number(r.at) } : undefined)),
    /**
     * Writes a change as number `afterSeq + 1`; false when another process wrote that number
     * first (it saw the same thing, or changed the state meanwhile): the caller reads again.
     */
    async guardAppend(afterSeq: number, event: Omit<GuardEvent, 'seq'>): Promise<boolean> {
      const row = await db
        .insertInto('guard_events')
        .values({ seq: afterSeq + 1, kind: event.kind, at: event.at, reason: event.reason.slice(0, 1000) })
        .onConflict((oc) => oc.column('seq').doNothing())
        .returning('seq')
        .executeTakeFirst();
      return row !== undefined;
    },
    guardFigures: (since: number, until: number) => guardFigures(db, since, until),
  };
}

/**
 * The window's figures, from the ledger (over the deliveries_sent and deliveries_retry indexes)
 * and bounce_events (over bounce_events_received). A reader counts once per kind, as in `stats`.
 */
async function guardFigures(db: Kysely<Database>, since: number, until: number): Promise<GuardFigures> {
  const [sent, refused, events] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sent_at', '>=', since)
      .where('sent_at', '<=', until)
      .where('state', '=', 'sent')
      .executeTakeFirst(),
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'bounced')
      .where('claimed_at', '>=', since)
      .where('claimed_at', '<=', until)
      .executeTakeFirst(),
    db
      .selectFrom('bounce_events')
      .select(['kind', sql<number>`count(distinct subscriber_id)`.as('n')])
      .where('received_at', '>=', since)
      .where('received_at', '<=', until)
      .where('kind', 'in', ['hard', 'complaint'])
      .groupBy('kind')
      .execute(),
  ]);
  const of = (kind: string) => Number(events.find((r) => r.kind === kind)?.n ?? 0);
  return {
    delivered: Number(sent?.n ?? 0),
    refused: Number(refused?.n ?? 0),
    hardBounces: of('hard'),
    complaints: of('complaint'),
  };
}
