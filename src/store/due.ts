import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Active subscribers whose next tip is due by `now`, over the subscribers_due(status,
 * next_send_at) index: what a pass walks, counts for its progress, and `stats` shows as due.
 */
export function dueSubscribersQuery(db: Kysely<Database>, now: number) {
  return db.selectFrom('subscribers').where('status', '=', 'active').where('next_send_at', '<=', now);
}

/** Deliveries to try again: 'retry' due by `now`, or 'sending' claimed before `staleBefore` (a crashed pass). */
export function pendingDeliveriesQuery(db: Kysely<Database>, now: number, staleBefore: number) {
  return db
    .selectFrom('deliveries as d')
    .where((eb) =>
      eb.or([
        eb.and([eb('d.state', '=', 'retry'), eb('d.next_attempt_at', '<=', now)]),
        eb.and([eb('d.state', '=', 'sending'), eb('d.claimed_at', '<', staleBefore)]),
      ]),
    );
}

export async function countDueSubscribers(db: Kysely<Database>, now: number): Promise<number> {
  const row = await dueSubscribersQuery(db, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
