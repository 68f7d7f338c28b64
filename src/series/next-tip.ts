import type { Tip } from '../content/index.ts';
import { earliestNextTip, MIN_DAYS_BETWEEN_TIPS, type SendClock } from './cadence.ts';
import { nextLocalSendTime } from './send-time.ts';
import type { LedgerEntry } from '../store/ledger-rows.ts';

/** What to do with one due subscriber. */
export type Decision = { kind: 'send'; tip: Tip } | { kind: 'wait'; until: number | null; reason: WaitReason };

export type WaitReason =
  /** The address is on the suppression list: never mail it. */
  | 'suppressed'
  /** A tip to them is still being retried; the retry path settles it. */
  | 'retry-pending'
  /** Their last tip went out less than six days ago. */
  | 'too-soon'
  /** They have had every published tip: look again at their next send time. */
  | 'finished';

export const waitReasonText: Record<WaitReason, string> = {
  suppressed: 'address is suppressed',
  'retry-pending': 'an earlier tip is still being retried',
  'too-soon': 'last tip less than six days ago',
  finished: 'has had every published tip',
};

/**
 * The next tip for one subscriber: the lowest-week published tip whose slug has no ledger row in
 * their current cycle, or only a failed one. Identity is the slug, so renumbering or adding tips never resends one.
 * `published` must hold no drafts and be in week order.
 */
export function decide(
  subscriber: { lastSentAt: number | null },
  ledger: readonly LedgerEntry[],
  isSuppressed: boolean,
  published: readonly Tip[],
  now: number,
  clock: SendClock,
): Decision {
  if (isSuppressed) return { kind: 'wait', until: null, reason: 'suppressed' };
  const nextLocal = () => nextLocalSendTime(new Date(now), clock.zone, clock.time).getTime();
  if (ledger.some((e) => e.state === 'sending' || e.state === 'retry'))
    return { kind: 'wait', until: nextLocal(), reason: 'retry-pending' };
  if (subscriber.lastSentAt !== null && now - subscriber.lastSentAt < MIN_DAYS_BETWEEN_TIPS * 86_400_000) {
    return {
      kind: 'wait',
      until: earliestNextTip(new Date(subscriber.lastSentAt), clock).getTime(),
      reason: 'too-soon',
    };
  }
  // A tip that failed (72 hours of the reader's own temporary failures) was never had: it comes
  // again at this slot, in its place, rather than the reader skipping to the next one.
  const had = new Set(ledger.filter((e) => e.state !== 'failed').map((e) => e.slug));
  const tip = published.find((t) => !had.has(t.slug));
  // Checked again at each send time, so a tip an editor adds later reaches them in their evening.
  if (!tip) return { kind: 'wait', until: nextLocal(), reason: 'finished' };
  return { kind: 'send', tip };
}
