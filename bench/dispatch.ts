/**
 * Figures 1 and 2: one dispatch pass of N due subscribers into a local SMTP sink, and its
 * baseline, bare nodemailer sending N pre-rendered messages of the same size to the same sink
 * with the same pool. Each runs in a fresh child process so neither warms the other's JIT and
 * peak RSS belongs to one pass.
 *
 *   npx tsx bench/dispatch.ts [subscribers=10000] [--pool 5] [--baseline]
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { openApp, type App } from '../src/app.ts';
import { composeTipMessage, senderFor, tipMessageId } from '../src/mailer/compose.ts';
import { toNodemailer } from '../src/mailer/headers.ts';
import { subscriberLinks } from '../src/subscription/links.ts';
import { tempProject } from '../tests/support/temp-project.ts';
import { seedSubscribers, sqliteFileOf } from './seed.ts';
import { sinkProcess } from './sink.ts';

const self = fileURLToPath(import.meta.url);
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';
/** The pass's clock: every seeded subscriber is due by then. */
const NOW = Date.UTC(2026, 2, 1, 19);

export interface PassFigure {
  kind: 'pipeline' | 'baseline';
  messages: number;
  sent: number;
  seconds: number;
  perSecond: number;
  /** Bytes of one message's HTML and text, to show both sides send the same size. */
  messageBytes: number;
  /** Peak resident set of the child process over its whole life, MB. */
  peakRssMb: number;
  /** Resident set once everything was loaded, before the pass, MB. */
  startRssMb: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;

/** The temp project as `newsletter send` would see it, sending into the sink through a pool of `pool`. */
function benchApp(dir: string, smtpUrl: string, pool: number): App {
  return openApp({
    cwd: dir,
    env: {
      NEWSLETTER_SECRET: SECRET,
      NEWSLETTER_SMTP_URL: smtpUrl,
      NEWSLETTER_SMTP_POOL: String(pool),
      NEWSLETTER_BASE_URL: 'https://cramps.example.org',
    },
  });
}

/** In the child: one real pass over the seeded database, through the SMTP pool, into the sink. */
async function pipelineChild(dir: string, smtpUrl: string, pool: number): Promise<PassFigure> {
  const app = benchApp(dir, smtpUrl, pool);
  const project = await app.project();
  const pass = await app.deliveryPass();
  // The transport is opened before the clock starts, as the scheduler's is by its first pass.
  await app.mailer();
  // A pass compiles each tip once; compile before the clock starts, this measures sending.
  const first = await project.renderer.compileTip(project.tips[0]!);
  const startRss = process.memoryUsage.rss();
  const summary = await pass.run({
    renderer: project.renderer,
    series: project.series,
    tips: project.tips,
    now: new Date(NOW),
  });
  await app.close();
  const one = project.renderer.personalise(first, {
    name: 'Reader 1',
    ...subscriberLinks(app.config.baseUrl, SECRET, 'x'.repeat(16), new Date(NOW), project.tips[0]!.slug),
  });
  if (summary.aborted) throw new Error(`the pass stopped: ${summary.aborted}`);
  const seconds = summary.elapsedMs / 1000;
  return {
    kind: 'pipeline',
    messages: summary.due,
    sent: summary.sent,
    seconds,
    perSecond: summary.sent / seconds,
    messageBytes: one.html.length + one.text.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    startRssMb: mb(startRss),
  };
}

/**
 * In the child: the same tip, rendered and composed once for one reader before the clock starts,
 * sent `n` times with nodemailer's pool straight from a loop (a distinct address and Message-ID
 * each), with as many in flight as keep every pooled connection busy.
 */
async function baselineChild(dir: string, smtpUrl: string, pool: number, n: number): Promise<PassFigure> {
  const app = benchApp(dir, smtpUrl, pool);
  const { config } = app;
  const project = await app.project();
  const tip = project.tips[0]!;
  const sender = senderFor(project.series, config.from);
  const links = subscriberLinks(config.baseUrl, SECRET, 'x'.repeat(16), new Date(NOW), tip.slug);
  // Without the pre-encoded bodies: bare nodemailer encodes each message itself.
  const finished = project.renderer.personalise(await project.renderer.compileTip(tip), {
    name: 'Reader 1',
    ...links,
  });
  const message = toNodemailer(
    composeTipMessage(finished, { email: 'reader1@example.org', name: 'Reader 1' }, sender, {
      messageId: tipMessageId('x', tip.slug, 0, sender.from),
      unsubscribeUrl: links.unsubscribeUrl,
      slug: tip.slug,
    }),
  );
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    maxConnections: pool,
    maxMessages: 1000,
  });
  const startRss = process.memoryUsage.rss();
  const started = performance.now();
  let next = 0;
  let sent = 0;
  const window = pool * 4;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < n) {
        const i = next++;
        await transport.sendMail({
          ...message,
          to: { name: `Reader ${i}`, address: `reader${i}@example.org` },
          messageId: `<bench-${i}@example.org>`,
        });
        sent++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return {
    kind: 'baseline',
    messages: n,
    sent,
    seconds,
    perSecond: sent / seconds,
    messageBytes: finished.html.length + finished.text.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    startRssMb: mb(startRss),
  };
}

/** Runs this file in a fresh Node process in `mode`; resolves with the figure it prints last. */
function child(args: string[]): Promise<PassFigure> {
  return new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--import',
        'tsx',
        self,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.once('error', reject);
    c.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`benchmark child ${args[0]} exited with ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(last) as PassFigure);
      } catch {
        reject(new Error(`benchmark child ${args[0]} printed no figure: ${out.slice(-500)}`));
      }
    });
  });
}

/** Two baseline runs as one: messages and seconds summed, the higher peak. */
function combine(a: PassFigure, b: PassFigure): PassFigure {
  const seconds = a.seconds + b.seconds;
  const sent = a.sent + b.sent;
  return {
    ...a,
    messages: a.messages + b.messages,
    sent,
    seconds,
    perSecond: sent / seconds,
    peakRssMb: Math.max(a.peakRssMb, b.peakRssMb),
  };
}

export interface DispatchOptions {
  subscribers: number;
  pool: number;
  /** Also send the same number with bare nodemailer. */
  baseline: boolean;
}

/** A temp project with N active subscribers all due (within the last hour), a fresh sink, the pass and (optionally) its baseline. */
export async function benchDispatch(
  o: DispatchOptions,
): Promise<{ pipeline: PassFigure; baseline?: PassFigure; received: number }> {
  const sink = await sinkProcess();
  const tp = await tempProject();
  try {
    await seedSubscribers(sqliteFileOf(tp.config.database), o.subscribers, (i) => ({
      status: 'active',
      nextSendAt: NOW - (i % 60) * 60_000,
    }));
    // Half the baseline before the pass and half after, so a change in the machine's load
    // (other processes, the sink warming up) falls on both sides alike.
    const before = o.baseline
      ? await child(['--baseline-child', tp.dir, sink.url, String(o.pool), String(Math.ceil(o.subscribers / 2))])
      : undefined;
    const pipeline = await child(['--pipeline-child', tp.dir, sink.url, String(o.pool)]);
    const after = o.baseline
      ? await child(['--baseline-child', tp.dir, sink.url, String(o.pool), String(Math.floor(o.subscribers / 2))])
      : undefined;
    const baseline = before && after ? combine(before, after) : undefined;
    const received = await sink.count();
    const expected = pipeline.sent + (baseline?.sent ?? 0);
    if (received !== expected) throw new Error(`the sink received ${received} messages, expected ${expected}`);
    return { pipeline, ...(baseline ? { baseline } : {}), received };
  } finally {
    await sink.close();
    await tp.cleanup();
  }
}

if (process.argv[1] === self) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'pipeline-child': { type: 'boolean' },
      'baseline-child': { type: 'boolean' },
      pool: { type: 'string' },
      baseline: { type: 'boolean' },
    },
  });
  if (values['pipeline-child']) {
    const [dir, url, pool] = positionals;
    console.log(JSON.stringify(await pipelineChild(dir!, url!, Number(pool))));
  } else if (values['baseline-child']) {
    const [dir, url, pool, n] = positionals;
    console.log(JSON.stringify(await baselineChild(dir!, url!, Number(pool), Number(n))));
  } else {
    const n = Number(positionals[0] ?? 10_000);
    const pool = Number(values.pool ?? 5);
    const r = await benchDispatch({ subscribers: n, pool, baseline: Boolean(values.baseline) });
    for (const f of [r.baseline, r.pipeline]) {
      if (f)
        console.log(
          `${f.kind}: ${f.sent}/${f.messages} in ${f.seconds.toFixed(2)} s = ${f.perSecond.toFixed(0)} messages/s, ${f.messageBytes} bytes each, peak RSS ${f.peakRssMb.toFixed(0)} MB (pool ${pool})`,
        );
    }
  }
}
