import type { GuardReport } from '../app.ts';
import { UsageError, type Io, type LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const usage = [
  'newsletter guard [status] [--json]',
  'newsletter guard release --reason "…"',
  '',
  'The complaint and bounce guard. Before every pass each sender measures, over the tips',
  'delivered in the last 30 days: the complaint rate (warns at 0.1 %, pauses at 0.3 %) and the',
  'hard-bounce rate (warns at 2 %, pauses at 5 %); it pauses only once at least 1,000 tips were',
  'delivered in the window (NEWSLETTER_GUARD_*). A pause holds tip sends on every sender on the',
  'database until it is released; confirmations, welcomes and unsubscribes are never held.',
  '',
  '  status (the default)  the state, the rates and their window, the last release',
  '  release --reason "…"  lifts a pause, recording why; the window then starts afresh, so only',
  '                        tips delivered and reports received after the release can pause again',
  '  --json                print the status as JSON',
  '',
  'Exit codes: 0 sends go on (or were released), 1 paused (status) or nothing to release, 2 bad usage.',
].join('\n');

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)} %`);
const iso = (at: number) => new Date(at).toISOString();

/** The guard's lines, for `guard` and `stats`. */
export function guardLines(r: GuardReport): string[] {
  const f = r.figures;
  return [
    'Complaint and bounce guard (every sender on this database)',
    `  state            ${r.paused ? `PAUSED since ${iso(r.pausedAt!)}` : 'tip sends go on'}`,
    ...(r.paused ? [`  why              ${r.pausedBecause}`] : []),
    `  window           since ${iso(r.windowStart)}${r.released && r.released.at >= r.windowStart ? ' (the last release)' : ' (30 days)'}`,
    `  delivered        ${f.delivered}`,
    `  complaints       ${f.complaints}  (${percent(r.complaintRate)})`,
    `  hard bounces     ${f.refused + f.hardBounces}  (${percent(r.bounceRate)}; ${f.refused} refused during SMTP, ${f.hardBounces} reported later)`,
    ...(r.released ? [`  last release     ${iso(r.released.at)}: ${JSON.stringify(r.released.reason)}`] : []),
    ...r.warnings.map((w) => `  warning          ${w}`),
  ];
}

function asJson(r: GuardReport) {
  return {
    paused: r.paused,
    ...(r.paused ? { pausedAt: iso(r.pausedAt!), pausedBecause: r.pausedBecause } : {}),
    windowStart: iso(r.windowStart),
    ...r.figures,
    complaintRate: r.complaintRate,
    bounceRate: r.bounceRate,
    warnings: r.warnings,
    ...(r.released ? { lastRelease: { at: iso(r.released.at), reason: r.released.reason } } : {}),
  };
}

const guard: LeafCommand = {
  usage,
  options: { reason: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals }, io) {
    const action = positionals[0] ?? 'status';
    if (action !== 'status' && action !== 'release')
      throw new UsageError(
        `unknown action "${action}"; use \`newsletter guard\` or \`newsletter guard release --reason "…"\``,
      );
    if (action === 'status' && values.reason !== undefined)
      throw new UsageError('--reason goes with release: newsletter guard release --reason "…"');
    const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
    if (action === 'release' && !reason)
      throw new UsageError(
        'release needs --reason "…": say why sending may go on (what was found and fixed); it is recorded',
      );
    return withApp(io, async (app) => {
      const control = await app.guard();
      const now = io.now().getTime();
      if (action === 'status') return status(await control.status(now), Boolean(values.json), io);
      const { released, report } = await control.release(reason, now);
      if (!released) {
        io.err('tip sends are not paused; nothing to release');
        for (const line of guardLines(report)) io.out(line);
        return 1;
      }
      io.out(`released: tip sends go on from the next pass; reason recorded: ${JSON.stringify(reason)}`);
      io.out(
        `the guard now measures from ${iso(report.windowStart)}: it pauses again only if the tips delivered since cross a line`,
      );
      return 0;
    });
  },
};

function status(report: GuardReport, json: boolean, io: Io): number {
  if (json) io.out(JSON.stringify(asJson(report), null, 2));
  else {
    for (const line of guardLines(report)) io.out(line);
    if (report.paused) io.err(report.line);
  }
  return report.paused ? 1 : 0;
}

export default guard;
