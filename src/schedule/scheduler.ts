import cron, { type ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import { previousSecrets, type Config } from '../config.ts';
import type { PassSummary } from '../delivery/dispatcher.ts';
import { runSharedPass } from '../delivery/sender-share.ts';
import type { Mailer } from '../mailer/mailer.ts';
import { passSettings } from '../delivery/settings.ts';
import { formatProblem } from '../problems.ts';
import type { Project } from '../render/project.ts';
import { kyselyDeliveryStore } from '../store/deliveries.ts';
import { kyselySenderRegistry } from '../store/senders.ts';
import { describeDrain, keepHouse, type Chores } from './housekeeping.ts';
import { kyselyBounceStore } from '../store/bounces.ts';
import { connectionLossText, isConnectionLost } from '../store/connection-errors.ts';
import { withoutAddresses } from '../redact.ts';
import type { Database } from '../store/schema.ts';

/** The parts a tick works with; the caller opened them and closes them after `stop`. */
export interface SchedulerDeps {
  /** An open, migrated database; durable, since passes claim deliveries on it. */
  db: Kysely<Database>;
  mailer: Mailer;
  /** Reloaded at each tick, so a tip an editor adds is sent without a restart. */
  loadProject: () => Promise<Project>;
  /** The rules behind the chores of each tick: purge stale sign-ups, send the queued confirmations, welcomes and goodbyes. */
  subscriptions: Chores;
  /**
   * One line per event worth an operator's eye; the pass line also carries its counts as
   * `fields`, for structured logs.
   */
  log?: (line: string, fields?: Record<string, unknown>) => void;
  /** Every finished pass's summary (the metrics' counters). */
  onPass?: (summary: PassSummary) => void;
  /** The clock each tick reads; the real one unless a test replaces it. */
  now?: () => Date;
}

export interface Scheduler {
  /** Runs one pass now, unless one is running (then returns undefined without starting another). */
  tick(): Promise<PassSummary | undefined>;
  /** Stops the cron job and waits for a running pass; the parts it was given stay open. */
  stop(): Promise<void>;
}

/**
 * The node-cron job behind `newsletter start`: every NEWSLETTER_CRON tick runs one dispatch pass
 * with the real clock. A tick that comes while a pass is still running is skipped, so passes in
 * one process never overlap (across processes the ledger's claims keep sends single).
 */
export function startScheduler(config: Config, deps: SchedulerDeps): Scheduler {
  const log = deps.log ?? ((line: string) => console.log(line));
  const clock = deps.now ?? (() => new Date());
  const { db, mailer, subscriptions } = deps;
  const store = kyselyDeliveryStore(db);
  const registry = kyselySenderRegistry(db);
  let running: Promise<PassSummary | undefined> | undefined;
  let stopped = false;
  // Aborted by stop(): a long pass ends after its sends in flight instead of running to the end.
  const stopping = new AbortController();

  async function pass(): Promise<PassSummary | undefined> {
    try {
      const project = await deps.loadProject();
      const broken = project.problems.filter((p) => p.severity === 'error');
      const now = clock();
      const summary = await runSharedPass({
        store,
        registry,
        rate: config.rate,
        mailer,
        renderer: project.renderer,
        series: project.series,
        tips: project.tips,
        now,
        settings: passSettings(config),
        signal: stopping.signal,
      });
      deps.onPass?.(summary);
      const busy = summary.sent + summary.retried + summary.failed + summary.bounced > 0;
      // Every pass, idle ones too: a steady line per tick shows the sender is alive.
      log(
        `[scheduler] pass at ${now.toISOString()}: sent ${summary.sent}, failed ${summary.failed}, bounced ${summary.bounced}, retried later ${summary.retried}, skipped ${summary.skipped}`,
        passFields(summary, now),
      );
      // The service log names no reader: `newsletter stats` and the ledger say who.
      if (busy || summary.aborted)
        for (const p of summary.problems)
          log(`[scheduler] ${p.outcome}${p.slug ? ` (${p.slug})` : ''}: ${withoutAddresses(p.response)}`);
      if (busy) for (const p of broken) log(`[scheduler] not sent until fixed: ${formatProblem(p)}`);
      if (summary.refusalsReleased) log(`[scheduler] ${summary.refusalsReleased}`);
      if (summary.aborted) log(`[scheduler] pass stopped early: ${summary.aborted}; the next tick retries`);
      return summary;
    } catch (e) {
      // The database gone before the pass could begin or after it (a failover, a restart): one
      // line, and the next tick tries again; the process never ends for it.
      if (isConnectionLost(e))
        log(`[scheduler] lost the connection to the database (${connectionLossText(e)}); the next tick tries again`);
      // A broken series.yml or templates folder: say so, keep the schedule, try again next tick.
      else log(`[scheduler] pass failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * Erasing stale sign-ups and sending the queued confirmations, welcomes and goodbyes, at every
   * tick before the pass, whatever becomes of it: a reader waiting for their confirmation must
   * not wait on a tip that cannot be rendered, a welcome held up by an outage goes before the
   * reader's first tip, and with the relay down the drain stops at its first failure.
   */
  async function chores(): Promise<void> {
    if (stopped) return;
    try {
      const done = await keepHouse({ subscriptions, now: clock(), signal: stopping.signal });
      if (done.purged) log(`[scheduler] erased ${done.purged} sign-up(s) left unconfirmed for 30 days`);
      const drained = describeDrain(done.systemEmails);
      if (drained) log(`[scheduler] ${withoutAddresses(drained)}`, { event: 'system-emails', ...done.systemEmails });
    } catch (e) {
      log(
        `[scheduler] chores failed: ${withoutAddresses(e instanceof Error ? e.message : String(e))}; the next tick tries again`,
      );
    }
  }

  /**
   * The return-path mailbox (NEWSLETTER_BOUNCE_IMAP_URL), after each pass whatever became of it:
   * bounces concern the readers, not the SMTP server. A mailbox that cannot be read is logged
   * and tried again at the next tick.
   */
  async function pollBounces(): Promise<void> {
    if (!config.bounceImapUrl || stopped) return;
    // Loaded on first use: a sender without a bounce mailbox never loads the IMAP client.
    const { mailboxSettings, pollMailbox } = await import('../bounces/imap.ts');
    const mailbox = mailboxSettings(config.bounceImapUrl);
    try {
      const polled = await pollMailbox(
        {
          store: kyselyBounceStore(deps.db),
          secret: passSettings(config).secret,
          previousSecrets: previousSecrets(config),
        },
        mailbox,
        clock,
      );
      if (polled.handled || polled.unmatched || polled.left) {
        log(
          `[scheduler] bounce mailbox: ${polled.handled} applied, ${polled.unmatched} not matched to a reader (moved to ${mailbox.unmatched}), ${polled.left} left for the next tick`,
          { bounces: polled },
        );
      }
    } catch (e) {
      log(
        `[scheduler] bounce mailbox ${mailbox.host}:${mailbox.port}/${mailbox.mailbox} could not be read: ${withoutAddresses(e instanceof Error ? e.message : String(e))}; the next tick tries again`,
      );
    }
  }

  function tick(): Promise<PassSummary | undefined> {
    if (stopped) return Promise.resolve(undefined);
    if (running) {
      log('[scheduler] the previous pass is still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    const current = chores()
      .then(pass)
      .then(async (summary) => {
        await pollBounces();
        return summary;
      })
      .finally(() => {
        running = undefined;
      });
    running = current;
    return current;
  }

  const task: ScheduledTask = cron.schedule(config.cron, () => void tick(), { name: 'newsletter-dispatch' });
  // Where emails go was said once already, by whoever made the mailer (start says it at start-up).
  log(`[scheduler] dispatch pass on "${config.cron}"`);

  return {
    tick,
    async stop() {
      stopped = true;
      stopping.abort();
      await task.destroy();
      await running;
    },
  };
}

/** A pass's counts as log fields; the rate is messages sent per second of the pass. */
function passFields(s: PassSummary, at: Date): Record<string, unknown> {
  const seconds = s.elapsedMs / 1000;
  return {
    event: 'pass',
    at: at.toISOString(),
    due: s.due,
    sent: s.sent,
    failed: s.failed,
    bounced: s.bounced,
    retried: s.retried,
    skipped: s.skipped,
    durationMs: Math.round(s.elapsedMs),
    ratePerSecond: seconds > 0 ? Math.round((s.sent / seconds) * 10) / 10 : 0,
    ...(s.aborted ? { aborted: s.aborted } : {}),
  };
}
