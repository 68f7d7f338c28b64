/**
 * Figure 7: several `newsletter send` processes on one PostgreSQL database, against a sink that
 * answers each message after 20 ms (a real server's pace, so the figure measures how well senders
 * share the list, not the machine's CPU). 1, 2 and 3 processes in turn, each on a fresh database
 * with the same due readers; messages/s is measured at the sink, from its first message to its
 * last, so start-up is not counted. Duplicates are Message-IDs the sink saw twice.
 *
 * Each process sends through a pool of 2 SMTP connections: on a two-core machine that also runs
 * PostgreSQL and the sink, three processes with 5 connections each keep the cores 80-90 % busy
 * (400-500 messages/s here) and the figure would measure the CPU instead of the sharing. The share of the
 * machine's CPU each run used is printed beside it, and figure 7c repeats 1 and 3 processes with
 * a pool of 5 to show where the machine is the limit.
 *
 * Figure 7b: one process, no delay, the same pass on SQLite and on PostgreSQL.
 *
 *   npx tsx bench/senders.ts [readers=3000]
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeDatabase } from '../src/config.ts';
import { migrate, openPostgres } from '../src/store/database.ts';
import { insertSubscribers } from '../tests/delivery/helpers.ts';
import { repoRoot, tempProject, type TempProject } from '../tests/support/temp-project.ts';
import { admin, ADMIN_URL, createDatabase } from './postgres-admin.ts';
import { seedSubscribers, sqliteFileOf } from './seed.ts';
import { sinkProcess, type SinkStats } from './sink.ts';

const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';
const NOW = Date.UTC(2026, 2, 1, 19);
/** Connections per sender process in figure 7 (see above); 7c uses the default of 5. */
export const SCALE_POOL = 2;
export const SATURATING_POOL = 5;
const SINK_DELAY_MS = 20;

export interface RunFigure {
  processes: number;
  sent: number;
  perSecond: number;
  duplicates: number;
  /** Messages each process says it sent. */
  bySender: number[];
  /** Share of the machine's CPU time busy during the run (all processes, 0..1); undefined off Linux. */
  cpuBusy?: number;
}

export interface SendersFigure {
  /** Why the figure was not measured (no PostgreSQL here). */
  skipped?: string;
  readers: number;
  passReaders?: number;
  runs: RunFigure[];
  /** 1 and 3 processes with a pool of 5 each: where the machine's CPU is the limit. */
  saturated: RunFigure[];
  sqlite?: RunFigure;
  postgres?: RunFigure;
}

/** A fresh, migrated PostgreSQL database with `readers` due; dropped by the returned function. */
async function freshPostgres(readers: number): Promise<{ url: string; drop(): Promise<void> }> {
  const fresh = await createDatabase('ncw_bench');
  const db = openPostgres(fresh.url, { pool: 2 });
  try {
    await migrate(db);
    await insertSubscribers(
      db,
      Array.from({ length: readers }, (_, i) => ({
        email: `reader${i}@example.org`,
        name: `Reader ${i}`,
        nextSendAt: NOW - (i % 60) * 60_000,
      })),
    );
  } finally {
    await db.destroy();
  }
  return fresh;
}

/** Busy and total CPU time of the whole machine so far (ticks), from /proc/stat; undefined off Linux. */
async function machineCpu(): Promise<{ busy: number; all: number } | undefined> {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the not-busy ones.
    const idle = fields[3]! + (fields[4] ?? 0);
    const all = fields.reduce((a, b) => a + b, 0);
    return { busy: all - idle, all };
  } catch {
    return undefined;
  }
}

/** `processes` × `newsletter send`, started together on one store, into one sink. */
async function run(
  tp: TempProject,
  databaseUrl: string,
  processes: number,
  delayMs: number,
  pool: number,
): Promise<RunFigure> {
  const sink = await sinkProcess({ delayMs });
  try {
    const env = {
      ...process.env,
      NEWSLETTER_SECRET: SECRET,
      NEWSLETTER_SMTP_URL: sink.url,
      NEWSLETTER_SMTP_POOL: String(pool),
      NEWSLETTER_DATABASE_URL: databaseUrl,
      NEWSLETTER_DATABASE_POOL: '4',
    };
    const before = await machineCpu();
    const outs = await Promise.all(
      Array.from({ length: processes }, () =>
        exec(process.execPath, [bin, 'send', '--at', new Date(NOW).toISOString()], {
          cwd: tp.dir,
          env,
          timeout: 10 * 60_000,
        }),
      ),
    );
    const after = await machineCpu();
    const bySender = outs.map((o) => Number(/^sent ([\d,]+)/m.exec(o.stdout)?.[1]?.replace(/,/g, '') ?? NaN));
    const s: SinkStats = await sink.stats();
    const seconds = Math.max(0.001, (s.lastAt - s.firstAt) / 1000);
    const cpuBusy =
      before && after && after.all > before.all ? (after.busy - before.busy) / (after.all - before.all) : undefined;
    return {
      processes,
      sent: s.received,
      perSecond: s.received / seconds,
      duplicates: s.duplicates,
      bySender,
      ...(cpuBusy === undefined ? {} : { cpuBusy }),
    };
  } finally {
    await sink.close();
  }
}

async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await admin((c) => c.query('select 1'));
    return undefined;
  } catch (e) {
    return `PostgreSQL unreachable at ${describeDatabase({ kind: 'postgres', url: ADMIN_URL, pool: 1 })} (${(e as { code?: string }).code ?? String(e)})`;
  }
}

/** The figure; `throughputReaders` sizes 7b (no sink delay, so it needs more readers to time). */
export async function benchSenders(readers: number, throughputReaders: number): Promise<SendersFigure> {
  const skipped = await postgresUnavailable();
  if (skipped) return { skipped, readers, runs: [], saturated: [] };
  const tp = await tempProject({ NEWSLETTER_BASE_URL: 'https://cramps.example.org' });
  try {
    // Warm the compiled-email cache once, so no run pays for MJML.
    await exec(process.execPath, [bin, 'render', '1'], {
      cwd: tp.dir,
      env: { ...process.env, NEWSLETTER_SECRET: SECRET },
    });
    const onFresh = async (n: number, processes: number, delayMs: number, pool: number) => {
      const store = await freshPostgres(n);
      try {
        return await run(tp, store.url, processes, delayMs, pool);
      } finally {
        await store.drop();
      }
    };
    const runs: RunFigure[] = [];
    for (const processes of [1, 2, 3]) runs.push(await onFresh(readers, processes, SINK_DELAY_MS, SCALE_POOL));
    const saturated: RunFigure[] = [];
    for (const processes of [1, 3]) saturated.push(await onFresh(readers, processes, SINK_DELAY_MS, SATURATING_POOL));
    const postgres = await onFresh(throughputReaders, 1, 0, SATURATING_POOL);
    const file = path.join(tp.dir, 'subscribers', `bench-${randomBytes(4).toString('hex')}.db`);
    await seedSubscribers(sqliteFileOf({ kind: 'sqlite', file }), throughputReaders, (i) => ({
      status: 'active',
      nextSendAt: NOW - (i % 60) * 60_000,
    }));
    const sqlite = await run(tp, `sqlite:${file}`, 1, 0, SATURATING_POOL);
    return { readers, passReaders: throughputReaders, runs, saturated, postgres, sqlite };
  } finally {
    await tp.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readers = Number(process.argv[2] ?? 3000);
  const f = await benchSenders(readers, readers);
  if (f.skipped) console.log(`skipped: ${f.skipped}`);
  const cpu = (r: RunFigure) => (r.cpuBusy === undefined ? '' : `, machine CPU ${(r.cpuBusy * 100).toFixed(0)} % busy`);
  for (const r of f.runs)
    console.log(
      `pool ${SCALE_POOL}: ${r.processes} sender(s): ${r.sent} sent, ${r.perSecond.toFixed(0)} messages/s, ${r.duplicates} duplicates, per process ${r.bySender.join(' + ')}${cpu(r)}`,
    );
  for (const r of f.saturated)
    console.log(
      `pool ${SATURATING_POOL}: ${r.processes} sender(s): ${r.sent} sent, ${r.perSecond.toFixed(0)} messages/s, ${r.duplicates} duplicates${cpu(r)}`,
    );
  if (f.postgres && f.sqlite)
    console.log(
      `one process, no delay: PostgreSQL ${f.postgres.perSecond.toFixed(0)} messages/s, SQLite ${f.sqlite.perSecond.toFixed(0)} messages/s`,
    );
}
