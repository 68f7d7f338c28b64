import type { Kysely } from 'kysely';
import { countDueSubscribers } from './due.ts';
import type { Database, DeliveryState, SubscriberStatus } from './schema.ts';
import { countByStatus } from './subscribers.ts';

export interface SeriesStats {
  subscribers: Partial<Record<SubscriberStatus, number>>;
  /** One row per tip that has ledger rows, in week order. */
  tips: { slug: string; week: number; states: Partial<Record<DeliveryState, number>> }[];
  /** Active subscribers due by `now` (waiting for the next pass). */
  dueNow: number;
}

/** The series' numbers, read from the subscribers table and the delivery ledger. */
export async function seriesStats(db: Kysely<Database>, now: number): Promise<SeriesStats> {
  const byTip = await db
    .selectFrom('deliveries')
    .select(['tip_slug', 'state', (eb) => eb.fn.max('week').as('week'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['tip_slug', 'state'])
    .execute();

  const tips = new Map<string, SeriesStats['tips'][number]>();
  for (const r of byTip) {
    const tip = tips.get(r.tip_slug) ?? { slug: r.tip_slug, week: Number(r.week), states: {} };
    tip.week = Math.max(tip.week, Number(r.week));
    tip.states[r.state] = Number(r.n);
    tips.set(r.tip_slug, tip);
  }
  return {
    subscribers: await countByStatus(db),
    tips: [...tips.values()].sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug)),
    dueNow: await countDueSubscribers(db, now),
  };
}
