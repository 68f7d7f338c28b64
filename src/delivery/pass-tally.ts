import { performance } from 'node:perf_hooks';
import type { GuardReport } from './complaint-guard.ts';
import type { TipHold } from '../content/index.ts';
import type { StopCause } from './send-guards.ts';
import type { SitePassFigures } from './shaping.ts';

export interface DeliveryProblem {
  email: string;
  slug: string;
  outcome: 'failed' | 'bounced' | 'suppressed';
  response: string;
}

export interface PassSummary {
  /** Due when the pass started (subscribers plus retries), for progress. */
  due: number;
  sent: number;
  /** Temporary failures that a later pass tries again. */
  retried: number;
  /** Given up after 72 hours of temporary failures. */
  failed: number;
  /** Permanent failures: the subscriber is bounced and suppressed. */
  bounced: number;
  /**
   * Due but nothing to send now: finished the series, too soon, suppressed, or another pass took
   * them; also a reader who erased their data while their tip was in flight (the ledger keeps
   * nothing of them, so neither does `sent`).
   */
  skipped: number;
  /** Why the pass stopped early (SMTP server down, database error, a stop asked for), if it did. */
  aborted?: string;
  /**
   * True when the pass stopped only because it was asked to (`signal`: shutdown, SIGTERM): its
   * messages in flight finished and were recorded, nothing failed. A failure after the request
   * replaces it as the reason.
   */
  stoppedOnRequest?: boolean;
  /** Why it stopped, as a short name for `stats` and `/metrics`. */
  stopCause?: StopCause;
  /**
   * The last time in this pass the relay could not be reached or kept (refused connection, 421,
   * a dropped or timed-out connection, TLS or login refused), and its answer with no address in it.
   */
  connectionFailure?: { at: number; what: string };
  /** Deliveries handed back untouched because the relay, not the reader, failed (counted in `retried`). */
  handedBack?: number;
  /** Recipient refusals not taken as bounces (see RefusalHold), and why; they are counted in `retried`. */
  refusalsReleased?: string;
  /**
   * The complaint and bounce guard as the pass found it: `paused`, and the pass sent no tip
   * (its `line` names the command that lifts it), or its warnings. Absent without a guard.
   */
  guard?: GuardReport;
  /**
   * Tips that did not go out (see TipHold): how many readers due each one wait for it, why, and
   * what releases it. Those readers are counted in `skipped` too.
   */
  held?: HeldTip[];
  /**
   * Per provider site, when shaping is on: sent, rate deferrals met, readers left waiting, and a
   * suspension's end and cause.
   */
  sites?: Record<string, SitePassFigures>;
  /** The warm-up day, its cap (undefined: uncapped) and whether readers were left for tomorrow. */
  warmup?: { day: number; cap: number | undefined; held: boolean };
  /** The first failures and bounces, for the operator. */
  problems: DeliveryProblem[];
  /** Real time the pass took. */
  elapsedMs: number;
}

/** A held or blocked tip in a pass's summary, with the readers who waited for it. */
export interface HeldTip extends TipHold {
  readers: number;
}

const STOPPED_ON_REQUEST = 'stopped on request (shutdown); the next pass goes on';

/** A list the operator can read; the ledger keeps the rest. */
const MAX_PROBLEMS_LISTED = 50;

/**
 * A pass's running counts and whether it must stop. Every change is reported to `onProgress`
 * at once, so a progress bar or a log line is never behind the ledger.
 */
export class PassTally {
  private readonly summary: PassSummary = {
    due: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    bounced: 0,
    skipped: 0,
    handedBack: 0,
    problems: [],
    elapsedMs: 0,
  };
  private readonly started = performance.now();
  private readonly heldReaders = new Set<number>();

  constructor(
    private readonly onProgress?: (summary: Readonly<PassSummary>) => void,
    private readonly signal?: AbortSignal,
  ) {}

  due(count: number): void {
    this.summary.due = count;
    this.changed();
  }

  sent(): void {
    this.summary.sent++;
    this.changed();
  }

  retried(): void {
    this.summary.retried++;
    this.changed();
  }

  /** A delivery the relay's failure sends back as it was, no retry used: it is retried later too. */
  handedBack(): void {
    this.summary.handedBack = (this.summary.handedBack ?? 0) + 1;
    this.summary.retried++;
    this.changed();
  }

  /**
   * A delivery handed back is charged to its reader after all (see the dispatcher's
   * chargeAnswers): it is a retry as before, or, with `problem`, failed after 72 hours.
   */
  charged(problem?: DeliveryProblem): void {
    this.summary.handedBack = Math.max(0, (this.summary.handedBack ?? 0) - 1);
    if (problem) {
      this.summary.retried--;
      this.failed(problem);
    } else this.changed();
  }

  /** The relay could not be reached or kept (see PassSummary.connectionFailure); the last one is kept. */
  connectionFailed(at: number, what: string): void {
    this.summary.connectionFailure = { at, what };
  }

  failed(problem: DeliveryProblem): void {
    this.summary.failed++;
    this.note(problem);
    this.changed();
  }

  bounced(problem: DeliveryProblem): void {
    this.summary.bounced++;
    this.note(problem);
    this.changed();
  }

  /** Due but not sent now; a suppressed address is also worth telling the operator. */
  skipped(problem?: DeliveryProblem): void {
    this.summary.skipped++;
    if (problem) this.note(problem);
    this.changed();
  }

  /** A reader due a held tip waits for it (counted as skipped, and by tip). */
  held(hold: TipHold, subscriberId: number): void {
    // A pass that starts part-way sweeps twice, and a held reader stays due: count them once.
    if (this.heldReaders.has(subscriberId)) return this.skipped();
    this.heldReaders.add(subscriberId);
    const list = (this.summary.held ??= []);
    const known = list.find((h) => h.slug === hold.slug);
    if (known) known.readers++;
    else list.push({ ...hold, readers: 1 });
    this.skipped();
  }

  /** `count` held refusals go back to retry instead of bouncing, for `why`. */
  released(count: number, why: string): void {
    this.summary.retried += count;
    this.summary.refusalsReleased = `${count} refused recipient${count === 1 ? ' was' : 's were'} not bounced: ${why}; they are retried`;
    this.changed();
  }

  sites(figures: Record<string, SitePassFigures>): void {
    if (Object.keys(figures).length > 0) this.summary.sites = figures;
  }

  warmup(w: { day: number; cap: number | undefined; held: boolean }): void {
    this.summary.warmup = w;
  }

  /** What the pass's end needs to judge its held refusals. */
  outcome(): { sent: number; aborted?: string | undefined } {
    return { sent: this.summary.sent, aborted: this.summary.aborted };
  }

  /**
   * The first reason wins (later ones are usually its consequences), except that a failure
   * outranks a stop that was asked for: the operator must hear of it.
   */
  abort(reason: string, cause: StopCause = 'database'): void {
    if (this.summary.stoppedOnRequest) delete this.summary.stoppedOnRequest;
    else if (this.summary.aborted !== undefined) return;
    this.summary.aborted = reason;
    this.summary.stopCause = cause;
  }

  /** True once nothing new may be claimed: a guard tripped, or shutdown was asked for. */
  stopped(): boolean {
    if (this.signal?.aborted && this.summary.aborted === undefined) {
      this.summary.aborted = STOPPED_ON_REQUEST;
      this.summary.stoppedOnRequest = true;
      this.summary.stopCause = 'shutdown';
    }
    return this.summary.aborted !== undefined;
  }

  finish(): PassSummary {
    this.summary.elapsedMs = performance.now() - this.started;
    return this.summary;
  }

  private note(problem: DeliveryProblem): void {
    if (this.summary.problems.length < MAX_PROBLEMS_LISTED) this.summary.problems.push(problem);
  }

  private changed(): void {
    this.summary.elapsedMs = performance.now() - this.started;
    this.onProgress?.(this.summary);
  }
}

/** One line per held or blocked tip: which tip, how many readers wait, why, and what releases it. */
export function heldLines(summary: Pick<PassSummary, 'held'>): string[] {
  return (summary.held ?? []).map(
    (h) =>
      `week ${h.week} (${h.slug}) ${h.kind === 'blocked' ? 'blocked, not sent' : 'held'}: ${h.readers} reader${h.readers === 1 ? '' : 's'} wait for it (${h.why}); release: ${h.release}`,
  );
}

/** What a suspended site answered in a pass: `2 deferrals`, `1 refusal`, or both. */
function metWith(f: SitePassFigures): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [
    ...(f.deferred > 0 || !f.refused ? [plural(f.deferred, 'deferral')] : []),
    ...(f.refused ? [plural(f.refused, 'refusal')] : []),
  ];
  return parts.join(', ');
}

/**
 * What shaping did in a pass, one line each, for `send` and the scheduler's log: each suspended
 * site (until when, why, how many readers wait) and a warm-up cap that was reached.
 */
export function shapingLines(summary: Pick<PassSummary, 'sites' | 'warmup'>): string[] {
  const out: string[] = [];
  for (const [site, f] of Object.entries(summary.sites ?? {}))
    if (f.suspendedUntil !== undefined)
      out.push(
        `site ${site} suspended until ${new Date(f.suspendedUntil).toISOString()} (${metWith(f)}: ${f.why ?? ''}); its readers wait in order, nobody was charged${f.refused ? ' or bounced' : ''}`,
      );
    else if (f.waiting > 0) out.push(`site ${site} is suspended: ${f.waiting} of its readers wait in order`);
  const w = summary.warmup;
  if (w?.held && w.cap !== undefined)
    out.push(
      `warm-up day ${w.day}: today's cap of ${w.cap} new tips is reached; the rest wait for tomorrow's first pass`,
    );
  return out;
}
