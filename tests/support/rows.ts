import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { NewSubscriber } from '../../src/store/subscriber-rows.ts';
import type { DeliveriesTable } from '../../src/store/schema.ts';

/**
 * A reader about to be inserted, camelCase as the subscriber store takes them: pending, signed
 * up on the web form at `at` (consent, creation and status change), nothing sent or due yet, a
 * random public id; `extra` overrides any field.
 */
export function newSubscriber(email: string, at: number, extra: Partial<NewSubscriber> = {}): NewSubscriber {
  return {
    publicId: randomBytes(12).toString('base64url'),
    email,
    emailNormalized: email.toLowerCase(),
    name: null,
    status: 'pending',
    timezone: null,
    sendTime: null,
    consentAt: at,
    consentIp: null,
    consentUserAgent: null,
    consentSource: 'web',
    createdAt: at,
    confirmedAt: null,
    statusChangedAt: at,
    nextSendAt: null,
    lastSentAt: null,
    confirmSentAt: null,
    ...extra,
  };
}

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
