import type { Tip } from './tips.ts';

/**
 * Why a published tip does not go out now, by slug. The publish rules are `check`'s (see
 * check/release-gate.ts): the site, the feed and the sender all read this one map.
 * - `blocked`: the tip fails `check` (an unfinished tip with its `draft` line deleted): it is off
 *   the site and out of every pass until fixed;
 * - `held`: its text is unreviewed or overdue for review and the series requires a review
 *   (`requireReview`): it stays on the site, and the readers due it wait until `newsletter review`.
 * Either way its readers wait in their place: nobody is skipped on to a later tip, nobody else waits.
 */
export interface TipHold {
  slug: string;
  week: number;
  file: string;
  kind: 'blocked' | 'held';
  /** One line: what is wrong (the first `check` error, or the review's state). */
  why: string;
  /** What releases it: the command to run, or "fix the errors `newsletter check` lists". */
  release: string;
}

export type TipHolds = ReadonlyMap<string, TipHold>;

export const NO_HOLDS: TipHolds = new Map();

/** The tips the public site shows: published, and not blocked by `check`. */
export function siteTips(published: readonly Tip[], holds: TipHolds | undefined): Tip[] {
  return published.filter((t) => holds?.get(t.slug)?.kind !== 'blocked');
}
