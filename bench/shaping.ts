/**
 * Figure 11 (issue 26): three senders on one PostgreSQL database, readers spread over five
 * provider sites (gmail.com, outlook.com, yahoo.com, icloud.com, example.org), a sink that
 * answers each message after 20 ms. Run once as it is, then once with the sink deferring every
 * gmail.com recipient with Gmail's `421 4.7.28 … unusual rate`: the google site is suspended and
 * the other four must keep at least 0.9 of their throughput of the first run, with no duplicate.
 * Throughput of the four is measured at the sink (their messages, from their first to their
 * last). The three senders are three passes in this process, each with its own database pool
 * and SMTP pool (a worker thread), sharing the list through the database as `start --role
 * sender` processes do. The site limits are lifted for the run (series.yml `sending.sites`, every
 * site and `default`: OPEN below; printed), so the figure measures the reflex, not the limits:
 * the defaults (google 600/min; microsoft, yahoo and apple 300/min) would hold outlook.com,
 * yahoo.com and icloud.com at 5 msgs/s each. What is left to cap it is the sink (3 × 5 connections at 20 ms: 750
 * msgs/s) and the senders' CPU; each run prints its CPU time per message to say which.
 *
 *   npx tsx bench/shaping.ts [readers=20000]
 */
import { deliveryPassFor } from '../src/app.ts';
import { createMailer } from '../src/mailer/create-mailer.ts';
import { loadProject } from '../src/render/project.ts';
import { migrate, openPostgres } from '../src/store/database.ts';
import { insertSubscribers } from '../tests/delivery/helpers.ts';
import { startSmtpSink } from '../tests/support/smtp-sink.ts';
import { tempProject } from '../tests/support/temp-project.ts';
import { createDatabase } from './postgres-admin.ts';

const NOW = Date.UTC(2026, 2, 1, 19);
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'example.org'];
const DEFERRED = 'gmail.com';
const SENDERS = 3;
const POOL = 5;
const OPEN = { perMinute: 1_000_000, connections: 1_000 };
const SINK_DELAY_MS = 20;
/** Each site's limit for the run, as series.yml would say it. */
export const BENCH_SITE_LIMITS = Object.fromEntries(
  ['google', 'microsoft', 'yahoo', 'apple', 'default'].map((s) => [s, OPEN]),
);
/** What the sink could take at most: every connection busy, one message per 20 ms each. */
export const SINK_CEILING_PER_SECOND = (SENDERS * POOL * 1000) / SINK_DELAY_MS;

export interface ShapingRun {
  /** Messages/s at the sink for the four sites that were never deferred. */
  othersPerSecond: number;
  sent: number;
  duplicates: number;
  /** Readers of the deferred site that got a message (0 when it was deferred). */
  deferredSiteSent: number;
  /** This process's CPU (the three passes, not PostgreSQL's) per message sent, in ms. */
  cpuMsPerMessage: number;
}

export interface ShapingFigure {
  readers: number;
  plain: ShapingRun;
  deferring: ShapingRun;
  /** deferring.othersPerSecond / plain.othersPerSecond */
  ratio: number;
}

async function run(readers: number, defer: boolean): Promise<ShapingRun> {
  const sink = await startSmtpSink({ parse: false });
  sink.delayMs = SINK_DELAY_MS;
  if (defer) sink.deferDomain(DEFERRED);
  const database = await createDatabase('bench_shaping');
  const tp = await tempProject({
    NEWSLETTER_SMTP_URL: sink.url,
    NEWSLETTER_SMTP_POOL: String(POOL),
    NEWSLETTER_DATABASE_URL: database.url,
  });
  const setup = openPostgres(database.url, { pool: 2 });
  const dbs = Array.from({ length: SENDERS }, () => openPostgres(database.url, { pool: 3 }));
  const mailers = Array.from({ length: SENDERS }, () => createMailer(tp.config));
  try {
    await migrate(setup);
    await insertSubscribers(
      setup,
      Array.from({ length: readers }, (_, i) => ({
        email: `r${i}@${DOMAINS[i % DOMAINS.length]}`,
        nextSendAt: NOW,
      })),
    );
    const project = await loadProject(tp.config);
    const series = {
      ...project.series,
      sending: { sites: BENCH_SITE_LIMITS },
    };
    const passes = await Promise.all(
      dbs.map((db, i) =>
        deliveryPassFor(tp.config, {
          db,
          mailer: () => Promise.resolve(mailers[i]!),
          secret: () => tp.config.secretFromEnv!,
        }),
      ),
    );
    const cpu = process.cpuUsage();
    const summaries = await Promise.all(
      passes.map((p) => p.run({ renderer: project.renderer, series, tips: project.tips, now: new Date(NOW) })),
    );
    const { user, system } = process.cpuUsage(cpu);
    for (const s of summaries) if (s.aborted) console.error(`a sender stopped early: ${s.aborted}`);
    const others = sink.received.filter((m) => !m.envelopeTo[0]!.endsWith(`@${DEFERRED}`));
    const times = others.map((m) => m.at!);
    const seconds = Math.max(0.001, (Math.max(...times) - Math.min(...times)) / 1000);
    const counts = sink.countByRecipient();
    return {
      othersPerSecond: others.length / seconds,
      sent: sink.received.length,
      duplicates: [...counts.values()].filter((n) => n > 1).length,
      deferredSiteSent: sink.received.length - others.length,
      cpuMsPerMessage: (user + system) / 1000 / Math.max(1, sink.received.length),
    };
  } finally {
    await Promise.all(mailers.map((m) => m.close()));
    await Promise.all([setup, ...dbs].map((d) => d.destroy()));
    await sink.close();
    await tp.cleanup();
    await database.drop();
  }
}

/** The run's site limits in one line, as series.yml `sending.sites` says them. */
export function limitsLine(): string {
  const sites = Object.keys(BENCH_SITE_LIMITS).join(', ');
  return `site limits (series.yml sending.sites): ${sites}: ${OPEN.perMinute.toLocaleString('en-US')}/min, ${OPEN.connections.toLocaleString('en-US')} connections each`;
}

export async function benchShaping(readers: number): Promise<ShapingFigure> {
  const plain = await run(readers, false);
  const deferring = await run(readers, true);
  return { readers, plain, deferring, ratio: deferring.othersPerSecond / plain.othersPerSecond };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readers = Number(process.argv[2] ?? 20_000);
  const f = await benchShaping(readers);
  console.log(
    `${readers} readers, 5 sites, ${SENDERS} senders × ${POOL} connections, ${SINK_DELAY_MS} ms sink (at most ${SINK_CEILING_PER_SECOND} msgs/s)\n` +
      `  ${limitsLine()}\n` +
      `  without deferral: other four sites ${f.plain.othersPerSecond.toFixed(0)} msgs/s, sent ${f.plain.sent}, duplicates ${f.plain.duplicates}, ${f.plain.cpuMsPerMessage.toFixed(2)} ms CPU a message\n` +
      `  ${DEFERRED} deferred: other four sites ${f.deferring.othersPerSecond.toFixed(0)} msgs/s, sent ${f.deferring.sent} (${DEFERRED}: ${f.deferring.deferredSiteSent}), duplicates ${f.deferring.duplicates}, ${f.deferring.cpuMsPerMessage.toFixed(2)} ms CPU a message\n` +
      `  ratio ${f.ratio.toFixed(3)} (target >= 0.9)`,
  );
}
