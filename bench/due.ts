/**
 * Figure 4: who is due. Time for the dispatcher's own due query (DeliveryStore.dueSubscribers,
 * the keyset the pass walks) to return the next batch of 1,000 from a table of N subscribers,
 * with its query plan, which must search the subscribers_due index. Baseline: the same SQL with
 * the index forbidden (`NOT INDEXED`), i.e. what a table scan would cost.
 *
 *   npx tsx bench/due.ts [rows=100000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type { DeliveryStore, DueCursor } from '../src/delivery/delivery-store.ts';
import { openApp } from '../src/app.ts';
import { kyselyDeliveryStore } from '../src/store/deliveries.ts';
import type { Database } from '../src/store/schema.ts';
import { seedSubscribers, type SeedRow } from './seed.ts';

export const NOW = Date.UTC(2026, 2, 1, 19);
const DAY = 86_400_000;
const BATCH = 1000;

export interface DueFigure {
  table: number;
  /** How many of them are due at NOW. */
  due: number;
  /** Median ms for one batch, over the first batches of a walk, repeated. */
  ms: number;
  rows: number;
  /** Median ms of the same query with the index forbidden. */
  scanMs: number;
  plan: string[];
  usesIndex: boolean;
}

/**
 * A list as it looks mid-week: most active readers spread over the next seven days (a seventh
 * of them due now, spread over the last day), the rest paused, unsubscribed, bounced or pending.
 */
function mix(i: number): SeedRow {
  const r = (i * 2654435761) % 100;
  if (r < 80) return { status: 'active', nextSendAt: NOW - DAY + ((i * 7919) % (7 * DAY)) };
  if (r < 88) return { status: 'paused', nextSendAt: null };
  if (r < 95) return { status: 'unsubscribed', nextSendAt: null };
  if (r < 97) return { status: 'bounced', nextSendAt: null };
  return { status: 'pending', nextSendAt: null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The real store on its own connection: the first ten batches of a keyset walk, three times; the median batch. */
export async function timeDueWalk(store: Pick<DeliveryStore, 'dueSubscribers'>): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let round = 0; round < 3; round++) {
    let cursor: DueCursor | undefined;
    for (let b = 0; b < 10; b++) {
      const t = performance.now();
      const batch = await store.dueSubscribers(NOW, cursor, BATCH);
      times.push(performance.now() - t);
      if (batch.length === 0) break;
      rows = Math.max(rows, batch.length);
      const end = batch[batch.length - 1]!;
      cursor = { nextSendAt: end.nextSendAt, id: end.id };
    }
  }
  return { ms: median(times), rows };
}

export async function benchDue(tableRows: number): Promise<DueFigure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-bench-due-'));
  const file = path.join(dir, 'due.db');
  try {
    await seedSubscribers(file, tableRows, mix);

    // The store's SQL, captured as it runs (same builder, same parameters) for the plan and the baseline.
    const captured: CompiledQuery[] = [];
    const spy = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SQLite(file, { readonly: true }) }),
      log: (e) => void (e.level === 'query' && captured.push(e.query)),
    });
    const firstBatch = await kyselyDeliveryStore(spy).dueSubscribers(NOW, undefined, BATCH);
    const last = firstBatch[firstBatch.length - 1]!;
    await kyselyDeliveryStore(spy).dueSubscribers(NOW, { nextSendAt: last.nextSendAt, id: last.id }, BATCH);
    await spy.destroy();
    // The second query is the one a pass runs for every batch after the first: the keyset continuation.
    const next = captured[captured.length - 1]!;

    const raw = new SQLite(file, { readonly: true });
    const plan = raw
      .prepare(`EXPLAIN QUERY PLAN ${next.sql}`)
      .all(...(next.parameters as unknown[]))
      .map((r) => (r as { detail: string }).detail);
    const due = (
      raw.prepare(`SELECT count(*) AS n FROM subscribers WHERE status = 'active' AND next_send_at <= ?`).get(NOW) as {
        n: number;
      }
    ).n;
    const scanTimes: number[] = [];
    const scanSql = next.sql.replace(/from "subscribers"/i, 'from "subscribers" not indexed');
    if (scanSql === next.sql) throw new Error(`the due query changed shape; cannot build its baseline: ${next.sql}`);
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      raw.prepare(scanSql).all(...(next.parameters as unknown[]));
      scanTimes.push(performance.now() - t);
    }
    raw.close();

    // The real store on the real connection: walk the first ten batches by keyset, three times.
    const app = openApp({ cwd: dir, env: { NEWSLETTER_DATABASE_URL: `sqlite:${file}` } });
    const { ms, rows } = await timeDueWalk(kyselyDeliveryStore(await app.db()));
    await app.close();
    const usesIndex =
      plan.some((p) => /USING (COVERING )?INDEX subscribers_due/.test(p)) &&
      !plan.some((p) => /^SCAN subscribers\b/.test(p));
    return { table: tableRows, due, ms, rows, scanMs: median(scanTimes), plan, usesIndex };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await benchDue(Number(process.argv[2] ?? 100_000));
  console.log(JSON.stringify(f, null, 2));
}
