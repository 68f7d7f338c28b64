import type { Mailer } from '../mailer/mailer.ts';
import type { ComplaintGuard, GuardReport } from './complaint-guard.ts';
import type { DeliveryStore } from './delivery-store.ts';
import { planPass, type PassSummary, type PlannedDelivery } from './dispatcher.ts';
import type { PassInput, PassSettings } from './pass-context.ts';
import { runSharedPass, type SenderRegistry } from './sender-share.ts';
import type { ShapingParts } from './shaping.ts';
import type { WarmupStore } from './warmup.ts';

/** What one pass sends: the project as loaded for it, and the instant it runs at. */
export type PassRequest = Pick<PassInput, 'renderer' | 'series' | 'tips' | 'holds' | 'now' | 'onProgress' | 'signal'>;

/**
 * The dispatch pass, ready to run: its store, sender registry, mailer, rate and settings were put
 * together once by the composition root (`openApp`). The scheduler, `send` and the benchmarks
 * only say when and with which tips.
 */
export interface DeliveryPass {
  /** One pass as one of possibly several senders on the database. */
  run(request: PassRequest): Promise<PassSummary>;
  /** What a pass would do now, changing nothing (`send --dry-run`); it needs no mailer. */
  plan(request: Pick<PassRequest, 'series' | 'tips' | 'holds' | 'now'>): AsyncGenerator<PlannedDelivery>;
}

export interface DeliveryPassParts {
  store: DeliveryStore;
  registry: SenderRegistry;
  /** Made on the first pass: a dry run never opens the transport. */
  mailer: () => Promise<Mailer>;
  /** NEWSLETTER_RATE: the ceiling for all senders together. */
  rate: number | undefined;
  /**
   * Read at the start of every pass and its dry run. The key in it was resolved once; reading it
   * again only checks that it is still there (see `openApp`), so a pass stops rather than sign
   * links with a key the site does not know.
   */
  settings: () => PassSettings;
  /**
   * The complaint and bounce guard, asked before every pass: while it is paused the pass sends no
   * tip (and claims nothing), every sender on the database alike.
   */
  guard?: Pick<ComplaintGuard, 'check'>;
  /** Shaping per provider site; its limits come from series.yml's `sending.sites` at each pass. */
  shaping?: Omit<ShapingParts, 'limits'>;
  /** The fleet's warm-up counts; the curve comes from series.yml's `warmup` at each pass. */
  warmup?: WarmupStore;
}

export function deliveryPass(parts: DeliveryPassParts): DeliveryPass {
  const { store, registry, rate } = parts;
  return {
    async run(request) {
      const settings = parts.settings();
      const guard = await parts.guard?.check(request.now.getTime());
      if (guard?.paused) return heldPass(guard);
      const { sending, warmup } = request.series;
      const summary = await runSharedPass({
        ...request,
        store,
        registry,
        rate,
        mailer: await parts.mailer(),
        settings,
        ...(parts.shaping ? { shaping: { ...parts.shaping, limits: sending?.sites ?? {} } } : {}),
        ...(parts.warmup && warmup ? { warmup: { curve: warmup, store: parts.warmup, zone: settings.timezone } } : {}),
      });
      return guard ? { ...summary, guard } : summary;
    },
    plan: (request) => planPass({ ...request, store, settings: parts.settings() }),
  };
}

/** A pass the guard held: nothing claimed, nothing sent; the guard's line says why and what lifts it. */
function heldPass(guard: GuardReport): PassSummary {
  return { due: 0, sent: 0, retried: 0, failed: 0, bounced: 0, skipped: 0, guard, problems: [], elapsedMs: 0 };
}
