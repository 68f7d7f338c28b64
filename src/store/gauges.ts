import type { Kysely } from 'kysely';
import { dueSubscribersQuery } from './due.ts';
import { readRelayState, type RelayState } from './relay-state.ts';
import { readSites, type SiteReport } from './shaping.ts';
import type { BounceEventKind, Database, DeliveryState, SubscriberStatus } from './schema.ts';
import { countByStatus } from './subscribers.ts';

export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = [
  'pending',
  'active',
  'paused',
  'unsubscribed',
  'bounced',
  'complained',
];
export const DELIVERY_STATES: readonly DeliveryState[] = ['sending', 'sent', 'retry', 'failed', 'bounced'];
export const BOUNCE_EVENT_KINDS: readonly BounceEventKind[] = ['hard', 'soft', 'complaint', 'lifted'];
/** The window of the bounce gauge: the same 30 days `newsletter stats` reports. */
const BOUNCE_WINDOW_MS = 30 * 86_400_000;

/** The store's side of the metrics: every status and state present, zero when none. */
export interface StoreGauges {
  subscribers: Record<SubscriberStatus, number>;
  deliveries: Record<DeliveryState, number>;
  /** Deliveries waiting for another attempt after a temporary failure. */
  retryQueue: number;
  /** How long the most overdue active reader has been due at `now`, in seconds; 0 when nobody is. */
  oldestDueLatenessSeconds: number;
  /** Bounces and complaints reported after sending (DSN, ARF, webhooks) in the last 30 days, by kind. */
  bounceEvents30d: Record<BounceEventKind, number>;
  /** What every sender on this database met of the relay (relay_state, a few rows). */
  relay: RelayState;
  /** The provider sites: suspensions and sent/deferred counts (site_state, one row a site). */
  sites: SiteReport[];
}

/**
 * Read at every scrape, so each site replica shows the same numbers. Each query is a group-by or
 * a min over an index (subscribers_due, deliveries_retry): no table is read row by row.
 */
export async function readStoreGauges(db: Kysely<Database>, now: number): Promise<StoreGauges> {
  const [byStatus, byState, oldest, byKind, relay, sites] = await Promise.all([
    countByStatus(db),
    db
      .selectFrom('deliveries')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute(),
    dueSubscribersQuery(db, now)
      .select((eb) => eb.fn.min('next_send_at').as('oldest'))
      .executeTakeFirst(),
    // Over the bounce_events_received index.
    db
      .selectFrom('bounce_events')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('received_at', '>=', now - BOUNCE_WINDOW_MS)
      .groupBy('kind')
      .execute(),
    readRelayState(db),
    readSites(db),
  ]);
  const subscribers = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, byStatus[s] ?? 0])) as Record<
    SubscriberStatus,
    number
  >;
  const deliveries = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
  for (const r of byState) deliveries[r.state] = Number(r.n);
  const bounceEvents30d = Object.fromEntries(BOUNCE_EVENT_KINDS.map((k) => [k, 0])) as Record<BounceEventKind, number>;
  for (const r of byKind) bounceEvents30d[r.kind] = Number(r.n);
  const oldestDue = oldest?.oldest == null ? undefined : Number(oldest.oldest);
  return {
    subscribers,
    deliveries,
    retryQueue: deliveries.retry,
    oldestDueLatenessSeconds: oldestDue === undefined ? 0 : Math.max(0, (now - oldestDue) / 1000),
    bounceEvents30d,
    relay,
    sites,
  };
}
