import type { Insertable } from 'kysely';
import type { DeliveriesTable } from '../../src/store/schema.ts';

/**
 * A delivery row the ledger holds as sent (claimed and settled at `at`, answered "250 ok"), for
 * tests that seed the database directly; `extra` overrides any column.
 */
export function sentDelivery(
  d: { subscriberId: number; slug: string; messageId: string; at: number; week?: number },
  extra: Partial<Insertable<DeliveriesTable>> = {},
): Insertable<DeliveriesTable> {
  return {
    subscriber_id: d.subscriberId,
    tip_slug: d.slug,
    cycle: 0,
    week: d.week ?? 1,
    state: 'sent',
    attempts: 1,
    message_id: d.messageId,
    created_at: d.at,
    claimed_at: d.at,
    sent_at: d.at,
    next_attempt_at: null,
    last_response: '250 ok',
    ...extra,
  };
}
