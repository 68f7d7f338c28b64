/**
 * Figures of the compiled command as operators run it (`node bin/newsletter.js …`, no TypeScript
 * loader): how fast it starts, and the peak memory and rate of a whole `newsletter send` pass.
 *
 *   npx tsx bench/cli.ts [subscribers=10000]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot, tempProject } from '../tests/support/temp-project.ts';
import { seedSubscribers, sqliteFileOf } from './seed.ts';
import { sinkProcess } from './sink.ts';

const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const peakRssPreload = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';
/** Every seeded reader is due by then. */
const NOW = Date.UTC(2026, 2, 1, 19);

/** The V8 flags the installed command runs with (its `#!/usr/bin/env -S node …` line), as npm start passes them. */
const nodeFlags = readFileSync(bin, 'utf8')
  .split('\n')[0]!
  .split(/\s+/)
  .filter((w) => w.startsWith('--'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRun(args: string[], cwd: string, env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  await exec(process.execPath, args, { cwd, env: { ...process.env, ...env } });
  return performance.now() - started;
}

export interface StartFigure {
  nodeMs: number;
  helpMs: number;
  emptySendMs: number;
}

/**
 * Median wall time of `node -e 0`, `newsletter --help`, and `newsletter send` with nobody due
 * (migrated store, so this is start-up, config, content and the database), over `runs` runs each,
 * interleaved so a change in the machine's load falls on all three.
 */
export async function benchCliStart(runs: number): Promise<StartFigure> {
  const tp = await tempProject();
  const env = { NEWSLETTER_SECRET: SECRET, NEWSLETTER_OUTBOX_DIR: path.join(tp.dir, 'outbox') };
  try {
    await exec(process.execPath, [bin, 'migrate'], { cwd: tp.dir, env: { ...process.env, ...env } });
    await exec(process.execPath, [bin, 'send'], { cwd: tp.dir, env: { ...process.env, ...env } });
    const node: number[] = [];
    const help: number[] = [];
    const send: number[] = [];
    for (let i = 0; i < runs; i++) {
      node.push(await timeRun(['-e', '0'], tp.dir));
      help.push(await timeRun([...nodeFlags, bin, '--help'], tp.dir));
      send.push(await timeRun([...nodeFlags, bin, 'send'], tp.dir, env));
    }
    return { nodeMs: median(node), helpMs: median(help), emptySendMs: median(send) };
  } finally {
    await tp.cleanup();
  }
}

export interface CliPassFigure {
  subscribers: number;
  sent: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
}

/**
 * One `newsletter send` of `n` due readers into the counting sink, in a fresh process, after a
 * `newsletter render` has filled the compiled-tip cache (as any earlier pass, check or preview
 * does): the steady state, where a pass loads no MJML. Peak RSS covers the SMTP thread too.
 */
export async function benchCliPass(n: number, pool: number): Promise<CliPassFigure> {
  const sink = await sinkProcess();
  const tp = await tempProject();
  const rssFile = path.join(tp.dir, 'peak-rss.json');
  const env = {
    ...process.env,
    NEWSLETTER_SECRET: SECRET,
    NEWSLETTER_SMTP_URL: sink.url,
    NEWSLETTER_SMTP_POOL: String(pool),
    NEWSLETTER_BASE_URL: 'https://cramps.example.org',
  };
  try {
    await seedSubscribers(sqliteFileOf(tp.config.database), n, (i) => ({
      status: 'active',
      nextSendAt: NOW - (i % 60) * 60_000,
    }));
    await exec(process.execPath, [bin, 'render', '1'], { cwd: tp.dir, env, maxBuffer: 16 * 2 ** 20 });
    const { stdout } = await exec(
      process.execPath,
      [...nodeFlags, '--import', peakRssPreload, bin, 'send', '--at', new Date(NOW).toISOString()],
      {
        cwd: tp.dir,
        env: { ...env, BENCH_PEAK_RSS_FILE: rssFile },
        maxBuffer: 16 * 2 ** 20,
      },
    );
    const m = /sent ([\d,]+),.* in ([\d.]+) s/.exec(stdout);
    if (!m) throw new Error(`newsletter send printed no summary: ${stdout.slice(-300)}`);
    const sent = Number(m[1]!.replace(/,/g, ''));
    const seconds = Number(m[2]);
    const received = await sink.count();
    if (received !== sent) throw new Error(`the sink received ${received} messages, the pass says it sent ${sent}`);
    const { peakRssMb } = JSON.parse(await readFile(rssFile, 'utf8')) as { peakRssMb: number };
    return { subscribers: n, sent, seconds, perSecond: sent / seconds, peakRssMb };
  } finally {
    await rm(rssFile, { force: true });
    await sink.close();
    await tp.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 10_000);
  console.log(await benchCliStart(5));
  console.log(await benchCliPass(n, 5));
}
