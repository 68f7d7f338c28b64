import { maskAddress } from '../redact.ts';
import type { Subscriber } from './subscriber-store.ts';

/** What happened to a subscription, as the service log and tests see it. */
export type SubscriptionEventName =
  | 'subscribe'
  | 'confirmed'
  | 'unsubscribed'
  | 'paused'
  | 'resumed'
  | 'restarted'
  | 'preferences'
  | 'erased'
  | 'added'
  | 'purged'
  | 'unbounced';

/**
 * One subscription event. It names the reader by row id and masked address (`***@example.org`)
 * only: the log is read by more people than the database.
 */
export interface SubscriptionEvent {
  event: SubscriptionEventName;
  subscriber?: number;
  address?: string;
  /** `subscribe`: what the form led to (the site answers the same whatever it is). */
  outcome?: string;
  /** `unsubscribed`: an RFC 8058 one-click POST from a mail client. */
  oneClick?: boolean;
  /** `purged`: how many. */
  count?: number;
  source?: string;
  /** `unbounced`: the operator's reason. */
  reason?: string;
}

/** The event for reader `s` (an address alone where no row is known, e.g. a suppressed one). */
export function eventFor(
  event: SubscriptionEventName,
  s: (Partial<Pick<Subscriber, 'id'>> & Pick<Subscriber, 'emailNormalized'>) | undefined,
  extra: Omit<SubscriptionEvent, 'event' | 'subscriber' | 'address'> = {},
): SubscriptionEvent {
  return {
    event,
    ...(s?.id !== undefined ? { subscriber: s.id } : {}),
    ...(s ? { address: maskAddress(s.emailNormalized) } : {}),
    ...extra,
  };
}
