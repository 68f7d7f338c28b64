import { performance } from 'node:perf_hooks';
import { NO_HOLDS, publishedTips, type Series, type Tip, type TipHolds } from '../content/index.ts';
import { senderFor, type Sender } from '../mailer/compose.ts';
import type { CompiledEmail, PersonalisedEmail, Recipient } from '../render/index.ts';
import type { SendClock } from '../series/cadence.ts';
import type { DeliveryStore } from './delivery-store.ts';
import type { PassSummary } from './pass-tally.ts';
import { STALE_CLAIM_MS } from './retry-policy.ts';
import { PassShaper, type ShapingParts } from './shaping.ts';
import type { WarmupParts } from './warmup.ts';

/** The part of the renderer a pass uses: compile once per tip (cached), fill per reader. */
export interface TipRenderer {
  compileTip(tip: Tip): Promise<CompiledEmail>;
  personaliseParts(email: CompiledEmail, recipient: Recipient): PersonalisedEmail;
}

export interface PassSettings {
  /** NEWSLETTER_BASE_URL: signed links start with it. */
  baseUrl: string;
  /** The key that signs links. */
  secret: string;
  /** NEWSLETTER_FROM, overriding the series' sender. */
  from?: string;
  /** NEWSLETTER_TIMEZONE, for subscribers who gave none. */
  timezone: string;
  /** NEWSLETTER_BOUNCE_ADDRESS: each tip's envelope sender becomes its VERP form. */
  bounceAddress?: string;
  /** NEWSLETTER_CFBL_ADDRESS: each tip carries CFBL-Address and its signed CFBL-Feedback-ID. */
  cfblAddress?: string;
}

export interface PassInput {
  store: DeliveryStore;
  renderer: TipRenderer;
  series: Pick<Series, 'name' | 'from' | 'sendTime' | 'cadenceDays'> & Partial<Pick<Series, 'sending' | 'warmup'>>;
  /** The tips as loaded; drafts are dropped here. */
  tips: readonly Tip[];
  /**
   * Published tips that do not go out now (`check` errors, or unreviewed text where a review is
   * required): their readers wait in place, everyone else is served. Absent: none.
   */
  holds?: TipHolds;
  /** Who is due is decided against this instant. */
  now: Date;
  settings: PassSettings;
  /**
   * Milliseconds since the epoch for claim and settle stamps. Defaults to `now` plus the real
   * time elapsed in the pass, so a long pass (or one run `--at` a simulated time) stamps its
   * claims as it goes and another process never mistakes a live claim for a crashed one.
   */
  clock?: () => number;
  /** Subscribers read per query. */
  batchSize?: number;
  /**
   * Where in the due list to begin (0 to 1), then wrap round to its start: other senders are at
   * work on the same list, and starting where they are not keeps them from contending for the
   * same readers. Undefined: from the start, earliest due first.
   */
  startAt?: number;
  onProgress?: (summary: Readonly<PassSummary>) => void;
  /** Stops the pass early (shutdown): sends in flight finish and settle, nothing new is claimed. */
  signal?: AbortSignal;
  /** How often the claims of messages in flight are renewed (CLAIM_RENEW_MS; tests shorten it). */
  renewClaimsEveryMs?: number;
  /** Per-site shaping (limits, the deferral reflex); unset: every recipient is sent as before. */
  shaping?: ShapingParts;
  /** How many senders are live, this one included (each takes its share of a site's connections). */
  live?: () => number;
  /** The warm-up cap on new tips per day; unset: none. */
  warmup?: WarmupParts;
}

/** What every decision in a pass (or its dry run) needs, worked out once. */
export interface PassContext {
  store: DeliveryStore;
  /** Every published tip, held ones too: a held tip keeps its place, so nobody skips past it. */
  published: Tip[];
  bySlug: Map<string, Tip>;
  holds: TipHolds;
  now: number;
  /** Rows left 'sending' since before this are taken as left by a crash. */
  staleBefore: number;
  /** The zone and send time of readers who gave none. */
  defaults: SendClock;
  cadenceDays: number;
  batchSize: number;
  startAt: number | undefined;
  sender: Sender;
  clock: () => number;
  /** The sites' state for this pass, when shaping is on. */
  shaper: PassShaper | undefined;
  warmup: WarmupParts | undefined;
}

export function passContext(input: Omit<PassInput, 'renderer'>): PassContext {
  const published = publishedTips(input.tips);
  const now = input.now.getTime();
  const started = performance.now();
  const clock = input.clock ?? (() => now + Math.round(performance.now() - started));
  return {
    store: input.store,
    published,
    bySlug: new Map(published.map((t) => [t.slug, t])),
    holds: input.holds ?? NO_HOLDS,
    now,
    staleBefore: now - STALE_CLAIM_MS,
    defaults: { zone: input.settings.timezone, time: input.series.sendTime },
    cadenceDays: input.series.cadenceDays,
    batchSize: input.batchSize ?? 500,
    startAt: input.startAt,
    sender: senderFor(input.series, input.settings.from),
    clock,
    shaper: input.shaping ? new PassShaper(input.shaping, clock, input.live ?? (() => 1), now) : undefined,
    warmup: input.warmup,
  };
}
