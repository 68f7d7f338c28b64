import { DateTime } from 'luxon';

/**
 * A new sending domain's warm-up: on day d (day 1 is `start`) the fleet sends at most
 * `first × growth^(d-1)` new tips, until that passes the list's size; then no cap. Providers
 * judge a new domain by how it starts: a slow, steady climb builds a reputation that a first
 * day at full speed burns (Ghost's warm-up: 200 → 200,000 over 42 days). Retries, welcomes and
 * confirmations are never capped: they are not new volume.
 */
export interface WarmupCurve {
  /** The day the domain began sending, `YYYY-MM-DD`, in the series' default zone. */
  start: string;
  /** Day 1's cap. */
  first: number;
  /** Each day's cap is the previous one's times this. */
  growth: number;
}

export const DEFAULT_WARMUP = { first: 200, growth: 1.5 } as const;

/** The fleet's counts per warm-up day (`src/store/shaping.ts`: `warmup_days`). */
export interface WarmupStore {
  reserve(day: number, wanted: number, cap: number): Promise<number>;
  release(day: number, count: number): Promise<void>;
  used(day: number): Promise<number>;
  /** Active readers: the list the curve must outgrow. */
  listSize(): Promise<number>;
}

export interface WarmupParts {
  curve: WarmupCurve;
  store: WarmupStore;
  /** The zone whose midnight starts a warm-up day (NEWSLETTER_TIMEZONE). */
  zone: string;
}

/** The warm-up day of `at` (1 on `start`; 0 or less before it). */
export function warmupDay(curve: Pick<WarmupCurve, 'start'>, at: number, zone: string): number {
  const start = DateTime.fromISO(curve.start, { zone }).startOf('day');
  const today = DateTime.fromMillis(at, { zone }).startOf('day');
  return Math.round(today.diff(start, 'days').days) + 1;
}

/** Day `day`'s cap; before the start, day 1's. */
export function capFor(curve: Pick<WarmupCurve, 'first' | 'growth'>, day: number): number {
  return Math.floor(curve.first * curve.growth ** Math.max(0, day - 1));
}

/** The first day whose cap reaches `listSize`: from then on, nothing is capped. */
export function warmupEndDay(curve: Pick<WarmupCurve, 'first' | 'growth'>, listSize: number): number {
  let day = 1;
  while (capFor(curve, day) < listSize && day < 10_000) day++;
  return day;
}

/** Where the warm-up stands on a day: for `newsletter warmup` and the pass's summary. */
export interface WarmupStatus {
  day: number;
  /** Undefined: no cap (the curve has passed the list's size). */
  cap: number | undefined;
  used: number;
  listSize: number;
  /** The first uncapped day, as a date (`YYYY-MM-DD`). */
  endsOn: string;
}

export async function warmupStatus(parts: WarmupParts, at: number): Promise<WarmupStatus> {
  const { curve, store, zone } = parts;
  const day = warmupDay(curve, at, zone);
  const [listSize, used] = await Promise.all([store.listSize(), store.used(day)]);
  const endDay = warmupEndDay(curve, listSize);
  const endsOn = DateTime.fromISO(curve.start, { zone })
    .plus({ days: endDay - 1 })
    .toISODate()!;
  return { day, cap: day >= endDay ? undefined : capFor(curve, day), used, listSize, endsOn };
}

/** How many of the day's cap a pass takes from the database at a time. */
const CHUNK = 20;

/**
 * One pass's share of today's cap, taken from the fleet's count a few at a time; what it does
 * not use goes back at the end. Once the day's cap is used, no new tip is claimed: the readers
 * past it stay due and keep their place (earliest due first) for the next day's first pass.
 */
export class PassWarmup {
  private budget = 0;
  private full = false;
  /** Undefined when the day is uncapped. */
  private cap: number | undefined;
  private day = 0;
  private ready: Promise<void> | undefined;
  /** Readers left due because the cap was reached. */
  held = 0;

  constructor(
    private readonly parts: WarmupParts,
    private readonly now: number,
  ) {}

  /** True when one more new tip may be sent today (and it is counted). */
  async take(): Promise<boolean> {
    await (this.ready ??= this.start());
    if (this.cap === undefined) return true;
    if (this.budget > 0) {
      this.budget--;
      return true;
    }
    if (this.full) return false;
    const granted = await this.parts.store.reserve(this.day, CHUNK, this.cap);
    if (granted === 0) {
      this.full = true;
      return false;
    }
    this.budget = granted - 1;
    return true;
  }

  /** True once today's cap is used: the due walk can stop. */
  exhausted(): boolean {
    return this.full && this.budget === 0;
  }

  /** A counted tip that was not sent after all (another sender won the claim). */
  giveBack(n = 1): void {
    if (this.cap !== undefined) this.budget += n;
  }

  /** Returns the unused part of the pass's share. */
  async end(): Promise<{ day: number; cap: number | undefined } | undefined> {
    if (!this.ready) return undefined;
    await this.ready;
    if (this.budget > 0 && this.cap !== undefined) await this.parts.store.release(this.day, this.budget);
    this.budget = 0;
    return { day: this.day, cap: this.cap };
  }

  private async start(): Promise<void> {
    const { curve, store, zone } = this.parts;
    this.day = warmupDay(curve, this.now, zone);
    const listSize = await store.listSize();
    this.cap = this.day >= warmupEndDay(curve, listSize) ? undefined : capFor(curve, this.day);
  }
}
