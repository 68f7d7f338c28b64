/**
 * Figure 4b: figure 4 (who is due) on PostgreSQL. The dispatcher's own due query
 * (DeliveryStore.dueSubscribers, the keyset a pass walks) for the next 1,000 of N subscribers on a
 * fresh database, with the planner's plan; baseline: the same query with index scans turned off,
 * i.e. what a sequential scan costs. The rows are made by the server (generate_series) with the
 * same mix of statuses and send times as the SQLite figure, so a million rows take seconds.
 *
 *   npx tsx bench/due-postgres.ts [rows=100000]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import { migrate, openPostgres } from '../src/store/database.ts';
import { kyselyDeliveryStore } from '../src/store/deliveries.ts';
import type { Database } from '../src/store/schema.ts';
import { NOW, timeDueWalk, type DueFigure } from './due.ts';
import { admin, createDatabase } from './postgres-admin.ts';

const DAY = 86_400_000;
const BATCH = 1000;

/** Figure 4's numbers, or why they could not be taken here. */
export type DuePostgresFigure = DueFigure & { skipped?: string };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The SQLite figure's mix (bench/due.ts), computed by the server row by row. */
const seed = (rows: number) => sql`
  INSERT INTO subscribers (public_id, email, email_normalized, name, status, consent_at, consent_source,
    created_at, confirmed_at, status_changed_at, next_send_at, cycle)
  SELECT 'p' || i, 'reader' || i || '@example.org', 'reader' || i || '@example.org', 'Reader ' || i,
    CASE WHEN r < 80 THEN 'active' WHEN r < 88 THEN 'paused' WHEN r < 95 THEN 'unsubscribed' WHEN r < 97 THEN 'bounced' ELSE 'pending' END,
    ${Date.UTC(2026, 0, 1)}, 'cli', ${Date.UTC(2026, 0, 1)}, ${Date.UTC(2026, 0, 1)}, ${Date.UTC(2026, 0, 1)},
    CASE WHEN r < 80 THEN ${NOW - DAY}::bigint + (i * 7919) % ${7 * DAY}::bigint END, 0
  FROM (SELECT i, (i * 2654435761) % 100 AS r FROM generate_series(0::bigint, ${sql.lit(rows - 1)}) AS i) AS g`;

export async function benchDuePostgres(tableRows: number): Promise<DuePostgresFigure> {
  try {
    await admin((c) => c.query('select 1'));
  } catch (e) {
    return {
      skipped: `PostgreSQL unreachable (${(e as { code?: string }).code ?? String(e)}); start it to measure 4b`,
      table: tableRows,
      due: 0,
      ms: 0,
      rows: 0,
      scanMs: 0,
      plan: [],
      usesIndex: false,
    };
  }
  const fresh = await createDatabase('ncw_bench_due');
  const url = new URL(fresh.url);
  const db = openPostgres(fresh.url, { pool: 2 });
  try {
    await migrate(db);
    await seed(tableRows).execute(db);
    await sql`ANALYZE subscribers`.execute(db);

    // The store's SQL, captured as it runs, for the plan and the baseline.
    const captured: CompiledQuery[] = [];
    const spy = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }),
      log: (e) => void (e.level === 'query' && captured.push(e.query)),
    });
    const first = await kyselyDeliveryStore(spy).dueSubscribers(NOW, undefined, BATCH);
    const last = first[first.length - 1]!;
    await kyselyDeliveryStore(spy).dueSubscribers(NOW, { nextSendAt: last.nextSendAt, id: last.id }, BATCH);
    await spy.destroy();
    const next = captured[captured.length - 1]!;

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    let plan: string[];
    const scanTimes: number[] = [];
    let due: number;
    try {
      plan = (
        await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${next.sql}`, next.parameters as unknown[])
      ).rows.map((r) => r['QUERY PLAN'].trim());
      due = Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM subscribers WHERE status = 'active' AND next_send_at <= $1`,
            [NOW],
          )
        ).rows[0]!.n,
      );
      await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await client.query(next.sql, next.parameters as unknown[]);
        scanTimes.push(performance.now() - t);
      }
    } finally {
      await client.end();
    }

    // The real store: walk the first ten batches by keyset, three times.
    const { ms, rows } = await timeDueWalk(kyselyDeliveryStore(db));
    const usesIndex = plan.some((p) =>
      /Index (Only )?Scan using subscribers_due|Bitmap Index Scan on subscribers_due/.test(p),
    );
    return { table: tableRows, due, ms, rows, scanMs: median(scanTimes), plan, usesIndex };
  } finally {
    await db.destroy();
    await fresh.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void benchDuePostgres(Number(process.argv[2] ?? 100_000)).then((f) => console.log(JSON.stringify(f, null, 2)));
}
