/**
 * Figure 7: several `newsletter send` processes on one PostgreSQL database, against a sink that
 * answers each message after 20 ms (a real server's pace, so the figure measures how well senders
 * share the list, not the machine's CPU). 1, 2 and 3 processes in turn, each on a fresh database
 * with the same due readers; messages/s is measured at the sink, from its first message to its
 * last, so start-up is not counted. Duplicates are Message-IDs the sink saw twice.
 *
 * Figure 7b: one process, no delay, the same pass on SQLite and on PostgreSQL.
 *
 *   npx tsx bench/senders.ts [readers=3000]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
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
const POOL = 5;
const SINK_DELAY_MS = 20;

export interface RunFigure {
  processes: number;
  sent: number;
  perSecond: number;
  duplicates: number;
  /** Messages each process says it sent. */
  bySender: number[];
}

export interface SendersFigure {
  /** Why the figure was not measured (no PostgreSQL here). */
  skipped?: string;
  readers: number;
  passReaders?: number;
  runs: RunFigure[];
  sqlite?: RunFigure;
  postgres?: RunFigure;
}

/** A fresh, migrated PostgreSQL database with `readers` due; dropped by the returned function. */
async function freshPostgres(readers: number): Promise<{ url: string; drop(): Promise<void> }> {
  const fresh = await createDatabase('ncw_bench');
  const db = openPostgres(fresh.url, { pool: 2 });
  try {
    await migrate(db);
    await insertSubscribers(db, Array.from({ length: readers }, (_, i) => ({ email: `reader${i}@example.org`, name: `Reader ${i}`, nextSendAt: NOW - (i % 60) * 60_000 })));
  } finally {
    await db.destroy();
  }
  return fresh;
}

/** `processes` × `newsletter send`, started together on one store, into one sink. */
async function run(tp: TempProject, databaseUrl: string, processes: number, delayMs: number): Promise<RunFigure> {
  const sink = await sinkProcess({ delayMs });
  try {
    const env = { ...process.env, NEWSLETTER_SECRET: SECRET, NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_SMTP_POOL: String(POOL), NEWSLETTER_DATABASE_URL: databaseUrl, NEWSLETTER_DATABASE_POOL: '4' };
    const outs = await Promise.all(
      Array.from({ length: processes }, () => exec(process.execPath, [bin, 'send', '--at', new Date(NOW).toISOString()], { cwd: tp.dir, env, timeout: 10 * 60_000 })),
    );
    const bySender = outs.map((o) => Number(/^sent ([\d,]+)/m.exec(o.stdout)?.[1]?.replace(/,/g, '') ?? NaN));
    const s: SinkStats = await sink.stats();
    const seconds = Math.max(0.001, (s.lastAt - s.firstAt) / 1000);
    return { processes, sent: s.received, perSecond: s.received / seconds, duplicates: s.duplicates, bySender };
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
  if (skipped) return { skipped, readers, runs: [] };
  const tp = await tempProject({ NEWSLETTER_BASE_URL: 'https://cramps.example.org' });
  try {
    // Warm the compiled-email cache once, so no run pays for MJML.
    await exec(process.execPath, [bin, 'render', '1'], { cwd: tp.dir, env: { ...process.env, NEWSLETTER_SECRET: SECRET } });
    const runs: RunFigure[] = [];
    for (const processes of [1, 2, 3]) {
      const store = await freshPostgres(readers);
      try {
        runs.push(await run(tp, store.url, processes, SINK_DELAY_MS));
      } finally {
        await store.drop();
      }
    }
    const store = await freshPostgres(throughputReaders);
    let postgres: RunFigure;
    try {
      postgres = await run(tp, store.url, 1, 0);
    } finally {
      await store.drop();
    }
    const file = path.join(tp.dir, 'subscribers', `bench-${randomBytes(4).toString('hex')}.db`);
    await seedSubscribers(sqliteFileOf({ kind: 'sqlite', file }), throughputReaders, (i) => ({ status: 'active', nextSendAt: NOW - (i % 60) * 60_000 }));
    const sqlite = await run(tp, `sqlite:${file}`, 1, 0);
    return { readers, passReaders: throughputReaders, runs, postgres, sqlite };
  } finally {
    await tp.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readers = Number(process.argv[2] ?? 3000);
  const f = await benchSenders(readers, readers);
  if (f.skipped) console.log(`skipped: ${f.skipped}`);
  for (const r of f.runs) console.log(`${r.processes} sender(s): ${r.sent} sent, ${r.perSecond.toFixed(0)} messages/s, ${r.duplicates} duplicates, per process ${r.bySender.join(' + ')}`);
  if (f.postgres && f.sqlite) console.log(`one process, no delay: PostgreSQL ${f.postgres.perSecond.toFixed(0)} messages/s, SQLite ${f.sqlite.perSecond.toFixed(0)} messages/s`);
}
