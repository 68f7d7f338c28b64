import type { GuardThresholds } from '../config.ts';
import type { GuardEvent, GuardFigures } from '../store/guard-state.ts';

export type { GuardEvent, GuardFigures };

/** The window the rates are measured over. */
export const GUARD_WINDOW_MS = 30 * 86_400_000;

/** The command that lifts a pause: every line that reports one names it. */
export const RELEASE_COMMAND = 'newsletter guard release --reason "…"';

/** What the guard needs from the database (src/store/guard-state.ts implements it). */
export interface GuardStore {
  guardLatest(): Promise<GuardEvent | undefined>;
  guardAppend(afterSeq: number, event: Omit<GuardEvent, 'seq'>): Promise<boolean>;
  guardFigures(since: number, until: number): Promise<GuardFigures>;
}

/** The guard as a pass, `stats`, `/metrics` and `newsletter guard` see it at one instant. */
export interface GuardReport {
  /** True while tip sends are paused (every sender on the database). */
  paused: boolean;
  /** Since when, and why (the rate that crossed its line), while paused. */
  pausedAt?: number;
  pausedBecause?: string;
  /** The last release, if any: when and the operator's reason. */
  released?: { at: number; reason: string };
  /** Where the window starts: 30 days back, or the last release if that is later. */
  windowStart: number;
  figures: GuardFigures;
  /** complaints / delivered; null without a delivered tip. */
  complaintRate: number | null;
  /** (refused + hard bounces) / (delivered + refused); null without mail. */
  bounceRate: number | null;
  /** Rates at or above a warning line (or a pause line under the minimum), one line each. */
  warnings: string[];
  /** One line for logs and summaries: the pause and the command that lifts it, or that all is well. */
  line: string;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
const count = (n: number) => n.toLocaleString('en-US');
const iso = (at: number) => new Date(at).toISOString();

/** The two rates of a window's figures. */
export function ratesOf(f: GuardFigures): { complaintRate: number | null; bounceRate: number | null } {
  const attempted = f.delivered + f.refused;
  return {
    complaintRate: f.delivered ? f.complaints / f.delivered : null,
    bounceRate: attempted ? (f.refused + f.hardBounces) / attempted : null,
  };
}

/**
 * The rule, on one window's figures: a rate at or above its warning line warns; at or above its
 * pause line it pauses, but only once `minDelivered` tips were delivered in the window (below
 * that it warns, saying so). Pure: the same figures always give the same verdict.
 */
export function judge(f: GuardFigures, t: GuardThresholds): { pause?: string; warnings: string[] } {
  const { complaintRate, bounceRate } = ratesOf(f);
  const checks = [
    {
      rate: complaintRate,
      warn: t.complaintWarn,
      pause: t.complaintPause,
      what: `complaint rate ${percent(complaintRate ?? 0)} (${count(f.complaints)} of ${count(f.delivered)} delivered)`,
    },
    {
      rate: bounceRate,
      warn: t.bounceWarn,
      pause: t.bouncePause,
      what: `hard-bounce rate ${percent(bounceRate ?? 0)} (${count(f.refused + f.hardBounces)} of ${count(f.delivered + f.refused)} sent)`,
    },
  ];
  const enough = f.delivered >= t.minDelivered;
  // "At or above", without float noise: 0.7 % read from the environment is 0.007000000000000001.
  const reaches = (rate: number, line: number) => rate >= line - 1e-12;
  let pause: string | undefined;
  const warnings: string[] = [];
  for (const c of checks) {
    if (c.rate === null || !reaches(c.rate, c.warn)) continue;
    if (reaches(c.rate, c.pause) && enough) {
      pause ??= `${c.what} is at or above ${percent(c.pause)}`;
      continue;
    }
    warnings.push(
      reaches(c.rate, c.pause)
        ? `${c.what} is at or above the ${percent(c.pause)} pause line, but fewer than ${count(t.minDelivered)} tips were delivered in the window, so it only warns`
        : `${c.what} is at or above the ${percent(c.warn)} warning line (tip sends pause at ${percent(c.pause)})`,
    );
  }
  return pause ? { pause, warnings } : { warnings };
}

/**
 * The pass-level guard against a list that complains or bounces: before each pass, every sender
 * on the database asks it, and while it is paused no tip goes out (confirmations, welcomes and
 * goodbyes are another queue and are never held). The state lives in the database, so one
 * sender's pause holds them all.
 *
 * Re-pausing after a release: the window then starts at the release, so only tips delivered and
 * reports received after it count, and the guard pauses again only when those cross a line on
 * their own, with at least `minDelivered` delivered since. The complaints that caused the pause
 * never cause a second one.
 */
export function complaintGuard(store: GuardStore, thresholds: GuardThresholds) {
  /** The report at `now`; `record`: a crossing is written as a pause (a pass does; `stats` only reads). */
  async function report(now: number, record: boolean): Promise<GuardReport> {
    for (;;) {
      const latest = await store.guardLatest();
      const released = latest?.kind === 'released' ? { at: latest.at, reason: latest.reason } : undefined;
      const windowStart = Math.max(now - GUARD_WINDOW_MS, released?.at ?? 0);
      const figures = await store.guardFigures(windowStart, now);
      const verdict = judge(figures, thresholds);
      const base = { windowStart, figures, ...ratesOf(figures), warnings: verdict.warnings };
      if (latest?.kind === 'paused') return paused({ ...base, pausedAt: latest.at, pausedBecause: latest.reason });
      if (verdict.pause && record) {
        const reason = `${verdict.pause} over the tips delivered since ${iso(windowStart)}`;
        // Another sender wrote a change first: read the state again and go by it.
        if (!(await store.guardAppend(latest?.seq ?? 0, { kind: 'paused', at: now, reason }))) continue;
        return paused({ ...base, pausedAt: now, pausedBecause: reason, ...(released ? { released } : {}) });
      }
      const { pause, warnings } = verdict;
      return {
        ...base,
        paused: false,
        ...(released ? { released } : {}),
        // `stats` reading a crossing no pass has recorded yet says what the next pass will do.
        warnings: pause ? [`${pause}: the next pass pauses tip sends`, ...warnings] : warnings,
        line:
          warnings.length || pause
            ? `complaint and bounce guard: tip sends go on; ${[pause, ...warnings].filter(Boolean).join('; ')}`
            : `complaint and bounce guard: tip sends go on (${describeWindow(base)})`,
      };
    }
  }

  return {
    /** A pass's question: may tips go out at `now`? A new crossing is recorded as a pause. */
    check: (now: number) => report(now, true),
    /** The state at `now`, changing nothing (`stats`, `/metrics`, `newsletter guard`). */
    status: (now: number) => report(now, false),
    /**
     * Lifts a pause with the operator's reason; `released: false` when there was none to lift.
     * The window then starts afresh at `now` (see above).
     */
    async release(reason: string, now: number): Promise<{ released: boolean; report: GuardReport }> {
      for (;;) {
        const latest = await store.guardLatest();
        if (latest?.kind !== 'paused') return { released: false, report: await report(now, false) };
        if (await store.guardAppend(latest.seq, { kind: 'released', at: now, reason })) break;
      }
      return { released: true, report: await report(now, false) };
    },
  };
}

export type ComplaintGuard = ReturnType<typeof complaintGuard>;

function describeWindow(r: Pick<GuardReport, 'figures' | 'complaintRate' | 'bounceRate' | 'windowStart'>): string {
  const { figures: f } = r;
  return `${count(f.delivered)} delivered since ${iso(r.windowStart)}, complaint rate ${percent(r.complaintRate ?? 0)}, hard-bounce rate ${percent(r.bounceRate ?? 0)}`;
}

function paused(r: Omit<GuardReport, 'paused' | 'line'> & { pausedAt: number; pausedBecause: string }): GuardReport {
  return {
    ...r,
    paused: true,
    line: `tip sends are paused since ${iso(r.pausedAt)}: ${r.pausedBecause}. Confirmations, welcomes and unsubscribes still go out. Find out why (newsletter stats), then lift it with ${RELEASE_COMMAND}`,
  };
}
