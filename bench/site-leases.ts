/**
 * What a fleet-wide connection slot costs (issue 26): one sender on PostgreSQL takes and frees a
 * site's slot `n` times in a row (the two statements every message to a limited site adds), and
 * the time per pair is printed, median and 95th percentile. The shaping figure
 * (`bench/shaping.ts`) shows the same cost inside whole passes, where it is lost in the noise.
 *
 *   npx tsx bench/site-leases.ts [pairs=2000]
 */
import { sql } from 'kysely';
import { migrate, openPostgres } from '../src/store/database.ts';
import { postgresSiteLeases } from '../src/store/shaping.ts';
import { createDatabase } from './postgres-admin.ts';

export async function benchSiteLeases(
  pairs: number,
): Promise<{ medianMs: number; p95Ms: number; selectOneMs: number }> {
  const database = await createDatabase('bench_leases');
  const db = openPostgres(database.url, { pool: 2 });
  try {
    await migrate(db);
    const leases = postgresSiteLeases(db, { leaseMs: 30_000 });
    const times: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const t0 = performance.now();
      const slot = await leases.take('google', 10);
      if (slot === undefined) throw new Error('a free site had no slot');
      await leases.release('google', slot);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The floor: one round trip that does nothing, on the same pool.
    const trips: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const t0 = performance.now();
      await sql`select 1`.execute(db);
      trips.push(performance.now() - t0);
    }
    trips.sort((a, b) => a - b);
    return {
      medianMs: times[Math.floor(pairs / 2)]!,
      p95Ms: times[Math.floor(pairs * 0.95)]!,
      selectOneMs: trips[Math.floor(pairs / 2)]!,
    };
  } finally {
    await db.destroy();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pairs = Number(process.argv[2] ?? 2000);
  const f = await benchSiteLeases(pairs);
  console.log(
    `${pairs} take + release pairs: median ${f.medianMs.toFixed(2)} ms, p95 ${f.p95Ms.toFixed(2)} ms per message (a bare \`select 1\`: median ${f.selectOneMs.toFixed(2)} ms)`,
  );
}
