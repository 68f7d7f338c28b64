import type { DrainReport } from '../subscription/system-mail.ts';
import type { Subscriptions } from '../subscription/subscriptions.ts';

export interface HouseholdReport {
  purged: number;
  /** The queue of confirmations, welcomes and goodbyes, drained. */
  systemEmails: DrainReport;
}

/** The two subscription rules the chores need. */
export type Chores = Pick<Subscriptions, 'purgePending' | 'drainSystemEmails'>;

/**
 * The chores of every tick besides tips: erase sign-ups unconfirmed for 30 days, and send what
 * waits in the queue of confirmations, welcomes and goodbyes (the relay was down or slow when
 * they were asked for), so no reader is silently left without theirs.
 */
export async function keepHouse(deps: {
  subscriptions: Chores;
  now: Date;
  signal?: AbortSignal;
}): Promise<HouseholdReport> {
  const purged = await deps.subscriptions.purgePending(deps.now);
  const systemEmails = await deps.subscriptions.drainSystemEmails(deps.now, deps.signal ? { signal: deps.signal } : {});
  return { purged, systemEmails };
}

/** One line for the service log about the drain, or undefined when there is nothing to say. */
export function describeDrain(r: DrainReport): string | undefined {
  const expired = Object.entries(r.expired).map(([kind, n]) => `${n} ${kind}`);
  const parts = [
    r.sent ? `${r.sent} sent` : '',
    r.retrying ? `${r.retrying} to try again` : '',
    r.failed ? `${r.failed} refused for good by the server` : '',
    r.cancelled ? `${r.cancelled} no longer wanted` : '',
    expired.length ? `${expired.join(', ')} expired unsent` : '',
  ].filter(Boolean);
  if (!parts.length && !r.stopped) return undefined;
  const stopped = r.stopped ? `; the mail server failed (${r.stopped}): the rest wait for the next tick` : '';
  return `confirmation, welcome and goodbye emails: ${parts.join(', ') || 'none sent'}${stopped}`;
}
