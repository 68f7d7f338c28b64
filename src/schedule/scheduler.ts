import cron, { type ScheduledTask } from 'node-cron';
import type { BounceDeps } from '../bounces/apply.ts';
import { describeCorrections, type Corrections } from '../delivery/corrections.ts';
import type { DeliveryPass } from '../delivery/delivery-pass.ts';
import type { LinkCheckRecord } from '../check/links.ts';
import { heldLines, type PassSummary } from '../delivery/dispatcher.ts';
import { shapingLines } from '../delivery/pass-tally.ts';
import { formatProblem } from '../problems.ts';
import type { Project } from '../render/project.ts';
import { describeDrain, keepHouse, type Chores } from './housekeeping.ts';
import { connectionLossText, isConnectionLost } from '../store/connection-errors.ts';
import { withoutAddresses } from '../redact.ts';

/** One line per event worth an operator's eye; the pass line also carries its counts as `fields`. */
type Log = (line: string, fields?: Record<string, unknown>) => void;

/** The parts a tick works with, ready made (see `openApp`); the caller closes them after `stop`. */
export interface SchedulerDeps {
  /** NEWSLETTER_CRON. */
  cron: string;
  /** The dispatch pass, with its store, mailer, rate and signing key. */
  pass: Pick<DeliveryPass, 'run'>;
  /** Corrections to readers who got an older text, sent after each pass in each reader's evening. */
  corrections?: Pick<Corrections, 'run'>;
  /**
   * The weekly link check (`check --links`): its own cron, its broken links to the log, its
   * result kept for `check` and `/metrics`.
   */
  linkCheck?: { cron: string; run: () => Promise<LinkCheckRecord> };
  /** Reloaded at each tick, so a tip an editor adds is sent without a restart. */
  loadProject: () => Promise<Project>;
  /** The rules behind the chores of each tick: purge stale sign-ups, send the queued confirmations, welcomes and goodbyes. */
  subscriptions: Chores;
  /** The return-path mailbox (NEWSLETTER_BOUNCE_IMAP_URL) and the bounce rules' parts, polled after each pass. */
  bounceMailbox?: { url: string; deps: () => Promise<BounceDeps> };
  /**
   * One line per event worth an operator's eye; the pass line also carries its counts as
   * `fields`, for structured logs.
   */
  log?: Log;
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

/** What each step of a tick reads: the parts, the log, the clock, and the stop signal. */
interface TickContext {
  deps: SchedulerDeps;
  log: Log;
  clock: () => Date;
  /** Aborted by stop(): a long pass ends after its sends in flight instead of running to the end. */
  signal: AbortSignal;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The node-cron job behind `newsletter start`: every NEWSLETTER_CRON tick runs one dispatch pass
 * with the real clock. A tick that comes while a pass is still running is skipped, so passes in
 * one process never overlap (across processes the ledger's claims keep sends single).
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const stopping = new AbortController();
  const ctx: TickContext = {
    deps,
    log: deps.log ?? ((line: string) => console.log(line)),
    clock: deps.now ?? (() => new Date()),
    signal: stopping.signal,
  };
  let running: Promise<PassSummary | undefined> | undefined;

  function tick(): Promise<PassSummary | undefined> {
    if (stopping.signal.aborted) return Promise.resolve(undefined);
    if (running) {
      ctx.log('[scheduler] the previous pass is still running; this tick is skipped');
      return Promise.resolve(undefined);
    }
    const current = chores(ctx)
      .then(() => pass(ctx))
      .then(async (summary) => {
        await pollBounces(ctx);
        return summary;
      })
      .finally(() => {
        running = undefined;
      });
    running = current;
    return current;
  }

  const task: ScheduledTask = cron.schedule(deps.cron, () => void tick(), { name: 'newsletter-dispatch' });
  const linkTask = deps.linkCheck
    ? cron.schedule(deps.linkCheck.cron, () => void checkLinksNow(ctx), { name: 'newsletter-link-check' })
    : undefined;
  // Where emails go was said once already, by whoever made the mailer (start says it at start-up).
  ctx.log(`[scheduler] dispatch pass on "${deps.cron}"`);

  return {
    tick,
    async stop() {
      stopping.abort();
      await task.destroy();
      await linkTask?.destroy();
      await running;
    },
  };
}

/** One dispatch pass with the project as it is now; a failure is logged and the next tick tries again. */
async function pass({ deps, log, clock, signal }: TickContext): Promise<PassSummary | undefined> {
  try {
    const project = await deps.loadProject();
    const now = clock();
    const summary = await deps.pass.run({
      renderer: project.renderer,
      series: project.series,
      tips: project.tips,
      holds: project.holds,
      now,
      signal,
    });
    deps.onPass?.(summary);
    logPass(log, summary, now, project);
    if (deps.corrections && !summary.aborted && !signal.aborted) {
      const told = await deps.corrections.run({
        tips: project.tips,
        series: project.series,
        renderer: project.renderer,
        now,
        when: 'evening',
        signal,
      });
      const line = describeCorrections(told);
      if (line) log(`[scheduler] ${withoutAddresses(line)}`, { event: 'corrections', ...told });
    }
    return summary;
  } catch (e) {
    // The database gone before the pass could begin or after it (a failover, a restart): one
    // line, and the next tick tries again; the process never ends for it.
    if (isConnectionLost(e))
      log(`[scheduler] lost the connection to the database (${connectionLossText(e)}); the next tick tries again`);
    // A broken series.yml or templates folder, a missing signing key: say so, keep the schedule,
    // try again next tick.
    else log(`[scheduler] pass failed: ${messageOf(e)}`);
    return undefined;
  }
}

/** The pass's lines: its counts every time, and what went wrong when it did something. */
function logPass(log: Log, summary: PassSummary, now: Date, project: Project): void {
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
  if (busy)
    for (const p of project.problems.filter((p) => p.severity === 'error'))
      log(`[scheduler] not sent until fixed: ${formatProblem(p)}`);
  for (const line of heldLines(summary)) log(`[scheduler] ${line}`);
  if (summary.refusalsReleased) log(`[scheduler] ${summary.refusalsReleased}`);
  // Once per pass: a paused list must not go unnoticed, nor a rate climbing towards its line.
  const guard = summary.guard;
  if (guard?.paused) log(`[scheduler] ${guard.line}`, { event: 'guard', paused: true });
  else if (guard?.warnings.length)
    log(`[scheduler] WARNING ${guard.line}`, { event: 'guard', paused: false, warnings: guard.warnings });
  for (const line of shapingLines(summary)) log(`[scheduler] ${line}`);
  if (summary.aborted) log(`[scheduler] pass stopped early: ${summary.aborted}; the next tick retries`);
}

/**
 * Erasing stale sign-ups and sending the queued confirmations, welcomes and goodbyes, at every
 * tick before the pass, whatever becomes of it: a reader waiting for their confirmation must
 * not wait on a tip that cannot be rendered, a welcome held up by an outage goes before the
 * reader's first tip, and with the relay down the drain stops at its first failure.
 */
async function chores({ deps, log, clock, signal }: TickContext): Promise<void> {
  if (signal.aborted) return;
  try {
    const done = await keepHouse({ subscriptions: deps.subscriptions, now: clock(), signal });
    if (done.purged) log(`[scheduler] erased ${done.purged} sign-up(s) left unconfirmed for 30 days`);
    const drained = describeDrain(done.systemEmails);
    if (drained) log(`[scheduler] ${withoutAddresses(drained)}`, { event: 'system-emails', ...done.systemEmails });
  } catch (e) {
    log(`[scheduler] chores failed: ${withoutAddresses(messageOf(e))}; the next tick tries again`);
  }
}

/** The weekly link check: a line per broken link, and one summary; a failure is logged and next week tries again. */
async function checkLinksNow({ deps, log }: TickContext): Promise<void> {
  if (!deps.linkCheck) return;
  try {
    const record = await deps.linkCheck.run();
    for (const p of record.problems) log(`[links] ${formatProblem(p)}`, { event: 'link', file: p.file, line: p.line });
    const dead = record.problems.filter((p) => p.severity === 'error').length;
    log(
      `[links] checked ${Object.keys(record.results).length} addresses: ${dead} dead, ${record.problems.length - dead} moved or slow`,
      {
        event: 'link-check',
        dead,
      },
    );
  } catch (e) {
    log(`[links] the link check failed: ${messageOf(e)}; it runs again next week`);
  }
}

/**
 * The return-path mailbox (NEWSLETTER_BOUNCE_IMAP_URL), after each pass whatever became of it:
 * bounces concern the readers, not the SMTP server. A mailbox that cannot be read is logged
 * and tried again at the next tick.
 */
async function pollBounces({ deps, log, clock, signal }: TickContext): Promise<void> {
  const configured = deps.bounceMailbox;
  if (!configured || signal.aborted) return;
  // Loaded on first use: a sender without a bounce mailbox never loads the IMAP client.
  const { mailboxSettings, pollMailbox } = await import('../bounces/imap.ts');
  const mailbox = mailboxSettings(configured.url);
  try {
    const polled = await pollMailbox(await configured.deps(), mailbox, clock);
    if (polled.handled || polled.unmatched || polled.left) {
      log(
        `[scheduler] bounce mailbox: ${polled.handled} applied, ${polled.unmatched} not matched to a reader (moved to ${mailbox.unmatched}), ${polled.left} left for the next tick`,
        { bounces: polled },
      );
    }
  } catch (e) {
    log(
      `[scheduler] bounce mailbox ${mailbox.host}:${mailbox.port}/${mailbox.mailbox} could not be read: ${withoutAddresses(messageOf(e))}; the next tick tries again`,
    );
  }
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
