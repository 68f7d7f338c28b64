import type { SiteSuspension } from '../store/shaping.ts';

export type { SiteSuspension };

/**
 * The deferral reflex: a temporary answer (4xx) whose text is a provider's "slow down" suspends
 * that provider's site for a while, instead of retrying each reader while the pass keeps
 * hammering it. Other sites keep their speed; the site's readers wait, in order.
 *
 * | provider | answer | pattern |
 * |---|---|---|
 * | Gmail | `421 4.7.28 … unusual rate of unsolicited mail` | `4.7.28`, "unusual rate" |
 * | Gmail | `421 4.7.0 Try again later, closing connection` | "try again later" |
 * | Microsoft | `451 4.7.650 The mail server … has been temporarily rate limited` | `4.7.650`, "rate limited" |
 * | Yahoo, AOL | `421 4.7.0 [TSS04] Messages from … temporarily deferred` | `[TSS04]`, `[TS0x]`, "temporarily deferred" |
 * | Apple | `450 4.7.1 … too many messages` | "too many" |
 * | any | "rate limit", "throttl…", "too many", "try again later", "temporarily deferred" | |
 *
 * A provider's own code counts wherever it comes in the message's conversation (Gmail closes
 * the connection with its 421); the generic words only in an answer to the recipient or the
 * message, since the relay says "try again later" about itself too (at the greeting or MAIL FROM).
 */
export const RATE_SIGNALS: readonly { provider: string; pattern: RegExp }[] = [
  { provider: 'Gmail', pattern: /\b4\.7\.28\b|unusual rate/i },
  { provider: 'Microsoft', pattern: /\b4\.7\.650\b/ },
  { provider: 'Yahoo', pattern: /\[TSS0\d\]|\[TS0\d\]/ },
  { provider: 'any', pattern: /rate[- ]limit|throttl|too many\b|try again later|temporarily deferred/i },
];

/** The back-off ladder: each suspension within an hour of the last one's end takes the next step. */
export const BACKOFF_MS = [1, 5, 15, 60].map((m) => m * 60_000);
/** An hour with no deferral after a suspension ends starts the ladder again. */
export const CLEAN_MS = 60 * 60_000;

/**
 * Which rate signal a temporary answer is, if any. A permanent answer never is, nor one whose
 * enhanced code is about the reader's mailbox (`4.2.2 mailbox full`, `4.2.0 try again later`
 * from a greylisting server): those are the reader's, tried again as before.
 */
export function rateSignal(response: string): { provider: string; specific: boolean } | undefined {
  const code = /^\s*([245])\d\d/.exec(response)?.[1];
  if (code !== '4') return undefined;
  const subject = /\b4\.(\d{1,3})\.\d{1,3}\b/.exec(response)?.[1];
  if (subject === '1' || subject === '2') return undefined;
  const hit = RATE_SIGNALS.find((s) => s.pattern.test(response));
  return hit ? { provider: hit.provider, specific: hit.provider !== 'any' } : undefined;
}

/**
 * The suspension a deferral at `at` leads to, given the site's last one. A deferral while the
 * site is still suspended (another message in flight answered the same) changes nothing: one
 * signal, one step. Within an hour of the last suspension's end the ladder goes up a step;
 * after a clean hour it starts again at 1 minute.
 */
export function nextSuspension(
  last: SiteSuspension | undefined,
  site: string,
  at: number,
  reason: string,
): SiteSuspension {
  if (last && last.level >= 0 && at < last.until) return last;
  const level =
    last && last.level >= 0 && at - last.until < CLEAN_MS ? Math.min(last.level + 1, BACKOFF_MS.length - 1) : 0;
  // A refusal's suspension (site-refusals.ts) lasting longer is never shortened by a deferral.
  const until = Math.max(at + BACKOFF_MS[level]!, last && last.refusalLevel >= 0 ? last.until : 0);
  return { site, until, level, refusalLevel: last?.refusalLevel ?? -1, reason, at };
}
