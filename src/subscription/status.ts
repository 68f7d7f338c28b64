import type { SubscriberStatus } from '../store/schema.ts';

/**
 * Confirmed and not gone: active, or paused by their own choice. Such a reader has preferences,
 * can pause, resume and restart, is "already subscribed" to a new sign-up, and keeps a pending
 * retry (it waits while they are paused). Pending readers have not confirmed; the rest have left.
 */
export const SUBSCRIBED: readonly SubscriberStatus[] = ['active', 'paused'];

export function isSubscribed(status: SubscriberStatus): boolean {
  return SUBSCRIBED.includes(status);
}

/** Readers who left (or whose mail stopped) and may come back through a new confirmation. */
export const RETURNING: readonly SubscriberStatus[] = ['unsubscribed', 'bounced', 'complained'];
