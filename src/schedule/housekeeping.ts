import type { Subscriptions } from '../subscription/subscriptions.ts';

export interface HouseholdReport {
  purged: number;
  welcomesSent: number;
  welcomesFailed: number;
}

/** The two subscription rules the chores need. */
export type Chores = Pick<Subscriptions, 'purgePending' | 'retryWelcomes'>;

/**
 * The chores of every tick besides tips: erase sign-ups unconfirmed for 30 days, and send the
 * welcomes that failed at confirmation time (SMTP was down), so no reader is silently left
 * without one.
 */
export async function keepHouse(deps: { subscriptions: Chores; now: Date }): Promise<HouseholdReport> {
  const purged = await deps.subscriptions.purgePending(deps.now);
  const welcomes = await deps.subscriptions.retryWelcomes(deps.now);
  return { purged, welcomesSent: welcomes.sent, welcomesFailed: welcomes.failed };
}
