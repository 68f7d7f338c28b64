import { describeCorrections } from '../delivery/corrections.ts';
import { heldLines, type PassSummary } from '../delivery/dispatcher.ts';
import { shapingLines } from '../delivery/pass-tally.ts';
import { formatProblem } from '../problems.ts';
import { connectionLossText, isConnectionLost, type App } from '../app.ts';
import { UsageError, type Io, type LeafCommand } from './command.ts';
import { linksUse } from './links-note.ts';
import { listenForStop, type StopRequest } from './stop-signal.ts';
import { refusedByProductionGates } from './production-gates.ts';
import { describeDrain } from '../schedule/housekeeping.ts';
import { withApp } from './with-app.ts';

/** `--at`: an ISO-8601 instant with a zone (`Z` or an offset), so a run means the same everywhere. */
export function parseAt(value: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const at = new Date(value);
  if (!ok || Number.isNaN(at.getTime()))
    throw new UsageError(`--at "${value}" is not an ISO-8601 time with a zone; e.g. --at 2026-03-01T19:00:00Z`);
  return at;
}

const n = (x: number) => x.toLocaleString('en-US');

export function summaryLine(s: PassSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? s.sent / seconds : 0;
  return (
    `sent ${n(s.sent)}, failed ${n(s.failed)}, bounced ${n(s.bounced)}, retried later ${n(s.retried)}, skipped ${n(s.skipped)}` +
    ` (${n(s.due)} due) in ${seconds.toFixed(1)} s, ${rate.toFixed(rate < 10 ? 1 : 0)} messages/s`
  );
}

/** A one-line bar redrawn with \r; only on a terminal. */
function progressBar(io: Io) {
  const canDraw = io.isTty && io.write !== undefined;
  const write = (text: string) => io.write?.(text);
  let last = 0;
  let drawn = false;
  return {
    draw(s: Readonly<PassSummary>, force = false) {
      if (!canDraw) return;
      const t = s.elapsedMs;
      if (!force && t - last < 100) return;
      last = t;
      const done = s.sent + s.retried + s.failed + s.bounced + s.skipped;
      const total = Math.max(s.due, done, 1);
      const width = 24;
      const filled = Math.round((done / total) * width);
      const rate = t > 0 ? (s.sent / t) * 1000 : 0;
      write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${n(done)}/${n(total)}  sent ${n(s.sent)} · retry ${n(s.retried)} · failed ${n(s.failed + s.bounced)} · skipped ${n(s.skipped)} · ${rate.toFixed(0)}/s\x1b[K`,
      );
      drawn = true;
    },
    clear() {
      if (drawn) write('\r\x1b[K');
    },
  };
}

const send: LeafCommand = {
  usage: [
    'newsletter send [--at ISO-8601] [--dry-run]',
    '',
    'Runs one dispatch pass (applying database migrations first) and prints a summary:',
    'sent, failed, bounced, retried later, skipped, messages per second.',
    '  --at TIME    run as if the time were TIME, e.g. 2026-03-01T19:00:00Z (default: now)',
    '  --dry-run    send nothing and change nothing; list who would get which tip',
    'SIGTERM or Ctrl-C (SIGINT) stops the pass as `start` does: the messages in flight finish and',
    'are recorded, nothing new is claimed, the summary is printed, exit 0; the readers still due',
    'get their tips at the next pass. A second signal ends it at once.',
    'With NODE_ENV=production it sends nothing while `newsletter check --production` fails (an',
    'http base URL, the placeholder postal address or sender), printing those problems, and it',
    'needs NEWSLETTER_SMTP_URL (the outbox folder only when NEWSLETTER_OUTBOX_DIR is set).',
    'While the complaint and bounce guard pauses tip sends (see `newsletter guard`), it sends no',
    'tip, says so and how to lift it, and exits 1; the queued confirmations, welcomes and goodbyes',
    'still go out.',
    'Exit 1 when the pass stops early for a failure (SMTP server unavailable, database error or',
    'lost connection) or is refused, with one line that says why.',
  ].join('\n'),
  options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run({ values }, io) {
    const now = typeof values.at === 'string' ? parseAt(values.at) : io.now();
    const dryRun = Boolean(values['dry-run']);
    // Listened for from the start (a dry run changes nothing, so a signal may end it at once): a
    // signal while the project loads or the database migrates then stops the pass before it claims.
    const stop = dryRun
      ? undefined
      : listenForStop((signal) =>
          io.err(`${signal}: finishing the messages in flight and claiming no more (a second ${signal} stops at once)`),
        );
    try {
      return await withApp(io, (app) => (dryRun ? dryRunPass(app, now, io) : sendPass(app, now, io, stop!)));
    } catch (e) {
      // The database gone (down, failing over, a cut network): one line, not a stack trace.
      if (!isConnectionLost(e)) throw e;
      io.err(
        `the database cannot be reached (${connectionLossText(e)}): nothing more was sent; check that it is running and that NEWSLETTER_DATABASE_URL points at it, then run \`newsletter send\` again`,
      );
      return 1;
    } finally {
      stop?.dispose();
    }
  },
};

/** The project and the pass, from the app; a tip that cannot be rendered is named first. */
async function passParts(app: App, io: Io) {
  // With the publish rules' holds: a tip `check` fails, or unreviewed where reviews are required, waits.
  const project = await app.released();
  for (const p of project.problems.filter((p) => p.severity === 'error'))
    io.err(`${formatProblem(p)} (this tip is not sent until it is fixed)`);
  return { project, pass: await app.deliveryPass() };
}

async function dryRunPass(app: App, now: Date, io: Io): Promise<number> {
  const { project, pass } = await passParts(app, io);
  const counts = { send: 0, retry: 0, resend: 0, skip: 0 };
  for await (const line of pass.plan({ series: project.series, tips: project.tips, holds: project.holds, now })) {
    counts[line.action]++;
    const what = line.week !== undefined ? `week ${line.week} (${line.slug})` : '';
    io.out(`${line.action.padEnd(6)} ${line.email}${what ? ` ← ${what}` : ''}${line.reason ? `: ${line.reason}` : ''}`);
  }
  // A dry run changes nothing, so it records no pause either: it says what the guard says now.
  const guard = await (await app.guard()).status(now.getTime());
  if (guard.paused || guard.warnings.length)
    io.err(guard.paused ? `no tip would go out: ${guard.line}` : `WARNING ${guard.line}`);
  io.out(
    `dry run at ${now.toISOString()}: would send ${n(counts.send)}, retry ${n(counts.retry + counts.resend)}, skip ${n(counts.skip)}; nothing was sent or changed; ${linksUse(app.config)}`,
  );
  return 0;
}

async function sendPass(app: App, now: Date, io: Io, stop: StopRequest): Promise<number> {
  if (await refusedByProductionGates(app.config, (await app.project()).series, io.err, 'send')) return 1;
  const { project, pass } = await passParts(app, io);
  const mailer = await app.mailer();
  // The queued confirmations, welcomes and goodbyes first, as each scheduler tick does: where
  // `send` runs from cron instead of `start`, this is what sends those the site could not.
  const drained = describeDrain(await (await app.subscriptions()).drainSystemEmails(now, { signal: stop.signal }));
  if (drained) io.out(drained);
  const bar = progressBar(io);
  let summary: PassSummary;
  try {
    if (io.isTty) io.out(`Dispatch pass at ${now.toISOString()} through ${mailer.describe()}`);
    summary = await pass.run({
      series: project.series,
      tips: project.tips,
      holds: project.holds,
      now,
      renderer: project.renderer,
      onProgress: (s) => bar.draw(s),
      signal: stop.signal,
    });
  } finally {
    bar.clear();
  }
  if (summary.guard?.paused) {
    // Held before it began: nothing was claimed or sent. Exit 1 so cron and scripts hear of it.
    io.out(`sent nothing: ${summary.guard.line}`);
    return 1;
  }
  io.out(`${summaryLine(summary)}; ${linksUse(app.config)}`);
  if (summary.guard?.warnings.length) io.err(`WARNING ${summary.guard.line}`);
  // Then the corrections owed, each reader in their own evening, as each scheduler tick does.
  if (!summary.aborted && !stop.signal.aborted) {
    const told = await (
      await app.corrections()
    ).run({
      tips: project.tips,
      series: project.series,
      renderer: project.renderer,
      now,
      when: 'evening',
      signal: stop.signal,
    });
    const line = describeCorrections(told);
    if (line) io.out(line);
  }
  for (const line of heldLines(summary)) io.out(line);
  for (const p of summary.problems) io.err(`${p.outcome}: ${p.email}${p.slug ? ` (${p.slug})` : ''}: ${p.response}`);
  if (summary.refusalsReleased)
    io.err(`${summary.refusalsReleased}. Check the SMTP server, its account and NEWSLETTER_FROM.`);
  for (const line of shapingLines(summary)) io.err(line);
  if (summary.stoppedOnRequest) {
    // Asked to stop, and it did so cleanly: nothing failed, so not a failure of the command.
    io.err(
      `Stopped by ${stop.received() ?? 'request'}: the messages in flight were finished and recorded, nothing new was claimed; the readers still due get their tips at the next pass.`,
    );
    return 0;
  }
  if (summary.aborted) {
    io.err(`Pass stopped early: ${summary.aborted}. Nothing unsent was marked sent; the next pass retries.`);
    return 1;
  }
  return 0;
}

export default send;
