/**
 * Messages per second for one dispatch pass into a local SMTP sink.
 *
 *   npx tsx bench/dispatch.ts [subscribers=10000] [--pool 5] [--same-process]
 *
 * A temp project with N active subscribers all due, a real SQLite file, the real SMTP pool, and
 * the test SMTP sink (raw messages, no parsing) in its own process (as a mail server would be),
 * unless --same-process. Prints the pass summary and messages per second.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSmtpMailer } from '../src/delivery/smtp-mailer.ts';
import { runPass } from '../src/delivery/dispatcher.ts';
import { passSettings } from '../src/delivery/settings.ts';
import { loadProject } from '../src/project.ts';
import { kyselyDeliveryStore } from '../src/store/deliveries.ts';
import { insertSubscribers, openTestDatabase } from '../tests/delivery/helpers.ts';
import { startSmtpSink } from '../tests/support/smtp-sink.ts';
import { tempProject } from '../tests/support/temp-project.ts';

const self = fileURLToPath(import.meta.url);

export interface DispatchFigure {
  subscribers: number;
  sent: number;
  seconds: number;
  perSecond: number;
  received: number;
}

/** Starts the sink in a child process; resolves with its URL and a way to ask for its count. */
async function sinkProcess(): Promise<{ url: string; count(): Promise<number>; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--sink'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : waiters.push(resolve)));
  const url = await nextLine();
  return {
    url,
    async count() {
      child.stdin!.write('count\n');
      return Number(await nextLine());
    },
    stop: () => child.kill(),
  };
}

export async function benchDispatch(n: number, pool: number, sameProcess: boolean): Promise<DispatchFigure> {
  const local = sameProcess ? await startSmtpSink({ parse: false }) : undefined;
  const remote = sameProcess ? undefined : await sinkProcess();
  const url = local?.url ?? remote!.url;
  const tp = await tempProject({ NEWSLETTER_SMTP_URL: url });
  const db = await openTestDatabase(tp.config);
  const now = Date.UTC(2026, 2, 1, 19);
  try {
    await insertSubscribers(db, Array.from({ length: n }, (_, i) => ({ email: `bench${i}@example.org`, nextSendAt: now - (i % 60) * 60_000 })));
    const project = await loadProject(tp.config);
    const mailer = createSmtpMailer({ url, pool });
    // Compile the tip before the clock starts: a pass compiles each tip once, this measures sending.
    await project.renderer.compileTip(project.tips[0]!);
    const summary = await runPass({ store: kyselyDeliveryStore(db), mailer, renderer: project.renderer, series: project.series, tips: project.tips, now: new Date(now), settings: passSettings(tp.config) });
    await mailer.close();
    const seconds = summary.elapsedMs / 1000;
    const received = local ? local.received.length : await remote!.count();
    return { subscribers: n, sent: summary.sent, seconds, perSecond: summary.sent / seconds, received };
  } finally {
    await db.destroy();
    await tp.cleanup();
    await local?.close();
    remote?.stop();
  }
}

async function sinkMain(): Promise<void> {
  const sink = await startSmtpSink({ parse: false });
  process.stdout.write(`${sink.url}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d: string) => {
    for (const cmd of d.split('\n').filter(Boolean)) if (cmd === 'count') process.stdout.write(`${sink.received.length}\n`);
  });
}

if (process.argv[1] === self) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { sink: { type: 'boolean' }, pool: { type: 'string' }, 'same-process': { type: 'boolean' } } });
  if (values.sink) await sinkMain();
  else {
    const n = Number(positionals[0] ?? 10_000);
    const pool = Number(values.pool ?? 5);
    const f = await benchDispatch(n, pool, Boolean(values['same-process']));
    console.log(
      `dispatch pass: ${f.sent}/${f.subscribers} sent in ${f.seconds.toFixed(2)} s = ${f.perSecond.toFixed(0)} messages/s ` +
        `(pool ${pool}, sink ${values['same-process'] ? 'in the same process' : 'in its own process'}; sink received ${f.received})`,
    );
  }
}
