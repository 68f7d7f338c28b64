import { describeCorrections } from '../delivery/corrections.ts';
import { formatProblem } from '../problems.ts';
import type { App } from '../app.ts';
import type { Io, LeafCommand } from './command.ts';
import { refusedByProductionGates } from './production-gates.ts';
import { parseAt } from './send.ts';
import { withApp } from './with-app.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

const corrections: LeafCommand = {
  usage: [
    'newsletter corrections [--send] [--at ISO-8601]',
    '',
    "Lists each correction in the tips' `corrections:` front matter with how many readers got an",
    'earlier text of the tip and have not been told yet (a dry run: nothing is sent or changed).',
    '  --send       tell them now, whatever their evening (the regular pass tells each reader in',
    '               their own evening); each reader is told once per correction',
    '  --at TIME    as if the time were TIME, e.g. 2026-03-01T19:00:00Z (default: now)',
    'Who is told: see docs/editing.md, "Corrections". Exit 1 when the mail server failed.',
  ].join('\n'),
  options: { send: { type: 'boolean' }, at: { type: 'string' } },
  async run({ values }, io) {
    const now = typeof values.at === 'string' ? parseAt(values.at) : io.now();
    return withApp(io, (app) => (values.send ? send(app, now, io) : plan(app, io)));
  },
};

async function plan(app: App, io: Io): Promise<number> {
  const project = await app.project();
  const lines = await (await app.corrections()).plan(project.tips);
  if (lines.length === 0) {
    io.out('no corrections: add one to a tip\'s front matter (see docs/editing.md, "Corrections")');
    return 0;
  }
  for (const c of lines) io.out(`${c.slug} ${c.key}: ${plural(c.readers, 'reader')} would be told: "${c.text}"`);
  const total = lines.reduce((sum, c) => sum + c.readers, 0);
  io.out(
    `dry run: ${plural(lines.length, 'correction')}, ${plural(total, 'email')} to send; nothing was sent or changed. \`newsletter corrections --send\` sends them now, or the next pass in each reader's evening`,
  );
  return 0;
}

async function send(app: App, now: Date, io: Io): Promise<number> {
  const project = await app.project();
  if (await refusedByProductionGates(app.config, project.series, io.err, 'send')) return 1;
  for (const p of project.problems.filter((p) => p.severity === 'error')) io.err(formatProblem(p));
  const report = await (
    await app.corrections()
  ).run({ tips: project.tips, series: project.series, renderer: project.renderer, now, when: 'now' });
  io.out(describeCorrections(report) ?? 'corrections: nobody is owed one; nothing was sent');
  if (report.stopped) {
    io.err(
      `Stopped early: ${report.stopped}. Nothing unsent was marked sent; run it again once the mail server is back.`,
    );
    return 1;
  }
  return 0;
}

export default corrections;
