import cron, { type ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { createMailer } from '../mailer/create-mailer.ts';
import { runPass, type PassSummary } from '../delivery/dispatcher.ts';
import type { Mailer } from '../mailer/mailer.ts';
import { passSettings } from '../delivery/settings.ts';
import { formatProblem } from '../problems.ts';
import { loadProject, type Project } from '../render/project.ts';
import { migrate, openStore } from '../store/database.ts';
import { kyselyDeliveryStore } from '../store/deliveries.ts';
import { keepHouse } from './housekeeping.ts';
import { withoutAddresses } from '../redact.ts';
import type { Database } from '../store/schema.ts';

export interface SchedulerDeps {
  /** An open, migrated database; when absent one is opened (durable) and migrated here, and closed by `stop`. */
  db?: Kysely<Database>;
  /** The transport; `createMailer(config)` when absent (then closed by `stop`). */
  mailer?: Mailer;
  /** One line per event worth an operator's eye. */
  log?: (line: string) => void;
  /** The clock each tick reads; the real one unless a test replaces it. */
  now?: () => Date;
  /** Reloaded at each tick, so a tip an editor adds is sent without a restart. */
  loadProject?: () => Promise<Project>;
}

export interface Scheduler {
  /** Runs one pass now, unless one is running (then returns undefined without starting another). */
  tick(): Promise<PassSummary | undefined>;
  /** Stops the cron job, waits for a running pass, closes what it opened. */
  stop(): Promise<void>;
}

/**
 * The node-cron job behind `newsletter start`: every NEWSLETTER_CRON tick runs one dispatch pass
 * with the real clock. A tick that comes while a pass is still running is skipped, so passes in
 * one process never overlap (across processes the ledger's claims keep sends single).
 */
export function startScheduler(config: Config, deps: SchedulerDeps = {}): Scheduler {
  const log = deps.log ?? ((line: string) => console.log(line));
  const clock = deps.now ?? (() => new Date());
  const load = deps.loadProject ?? (() => loadProject(config));
  const ownsDb = !deps.db;
  const db = deps.db ?? openStore(config.database, { durable: true });
  const ready = ownsDb ? migrate(db).then(() => undefined) : Promise.resolve();
  // A failed migration is reported by the first tick, which awaits `ready`.
  ready.catch(() => {});
  const ownsMailer = !deps.mailer;
  const mailer = deps.mailer ?? createMailer(config);
  const store = kyselyDeliveryStore(db);
  let running: Promise<PassSummary | undefined> | undefined;
  let stopped = false;
  // Aborted by stop(): a long pass ends after its sends in flight instead of running to the end.
  const stopping = new AbortController();

  async function pass(): Promise<PassSummary | undefined> {
    try {
      await ready;
      const project = await load();
      const broken = project.problems.filter((p) => p.severity === 'error');
      const now = clock();
      const summary = await runPass({ store, mailer, renderer: project.renderer, series: project.series, tips: project.tips, now, settings: passSettings(config), signal: stopping.signal });
      const busy = summary.sent + summary.retried + summary.failed + summary.bounced > 0;
      if (busy || summary.aborted) {
        log(`[scheduler] pass at ${now.toISOString()}: sent ${summary.sent}, failed ${summary.failed}, bounced ${summary.bounced}, retried later ${summary.retried}, skipped ${summary.skipped}`);
        // The service log names no reader: `newsletter stats` and the ledger say who.
        for (const p of summary.problems) log(`[scheduler] ${p.outcome}${p.slug ? ` (${p.slug})` : ''}: ${withoutAddresses(p.response)}`);
      }
      if (busy) for (const p of broken) log(`[scheduler] not sent until fixed: ${formatProblem(p)}`);
      if (summary.aborted) log(`[scheduler] pass stopped early: ${summary.aborted}; the next tick retries`);
      else {
        const chores = await keepHouse(config, { db, mailer, project, now });
        if (chores.purged) log(`[scheduler] erased ${chores.purged} sign-up(s) left unconfirmed for 30 days`);
        if (chores.welcomesSent || chores.welcomesFailed) log(`[scheduler] welcomes that had failed: ${chores.welcomesSent} sent now, ${chores.welcomesFailed} still failing`);
      }
      return summary;
    } catch (e) {
      // A broken series.yml or templates folder: say so, keep the schedule, try again next tick.
      log(`[scheduler] pass failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  function tick(): Promise<PassSummary | undefined> {
    if (stopped) return Promise.resolve(undefined);
    if (running) {
      log('[scheduler] the previous pass is still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    const current = pass().finally(() => {
      running = undefined;
    });
    running = current;
    return current;
  }

  const task: ScheduledTask = cron.schedule(config.cron, () => void tick(), { name: 'newsletter-dispatch' });
  log(`[scheduler] dispatch pass on "${config.cron}" through ${mailer.describe()}`);

  return {
    tick,
    async stop() {
      stopped = true;
      stopping.abort();
      await task.destroy();
      await running;
      if (ownsMailer) await mailer.close();
      if (ownsDb) await db.destroy();
    },
  };
}
