/**
 * When to try a temporary failure again: growing delays, for up to 72 hours after the first
 * attempt, then give up. Receiving servers greylist (451) for minutes and recover from outages
 * within hours; three days is how long a sender is expected to keep trying (RFC 5321 4.5.4.1
 * suggests 4-5 days; a weekly tip is stale sooner).
 */
export const RETRY_DELAYS_MS = [15, 60, 240, 720, 1440].map((minutes) => minutes * 60_000);
export const GIVE_UP_AFTER_MS = 72 * 3_600_000;

/**
 * How long a claimed row may stay in 'sending' before a later pass takes it as left by a crash:
 * the claim's lease. A live pass renews the claims of its messages in flight every
 * CLAIM_RENEW_MS (see ClaimLease), so the lease outlasts any wait for the SMTP server's answer,
 * RFC 5321's 10 minutes for the final dot included; only a dead sender's claims run out, and
 * its few messages in flight are sent again (with the same Message-ID) 10 minutes after it died.
 */
export const STALE_CLAIM_MS = 10 * 60_000;
/** A tenth of the lease: nine renewals may fail (a database briefly gone) before another pass could take a live claim. */
export const CLAIM_RENEW_MS = STALE_CLAIM_MS / 10;

export type RetryDecision = { state: 'retry'; nextAttemptAt: number } | { state: 'failed' };

/**
 * After the `attempts`-th attempt failed temporarily at `at`, for a delivery first tried at
 * `firstAttemptAt`: the next attempt's time, or failed when 72 hours have passed.
 */
export function afterTemporaryFailure(firstAttemptAt: number, attempts: number, at: number): RetryDecision {
  const deadline = firstAttemptAt + GIVE_UP_AFTER_MS;
  if (at >= deadline) return { state: 'failed' };
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  // The last try lands on the deadline, so "72 hours" means 72 hours, not 72 plus a day.
  return { state: 'retry', nextAttemptAt: Math.min(at + delay, deadline) };
}
