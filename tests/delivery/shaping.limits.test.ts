import { expect, it } from 'vitest';
import { bucketOf, memoryBuckets, type SiteBuckets } from '../../src/delivery/shaping.ts';
import { postgresSiteBuckets } from '../../src/store/shaping.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

/**
 * Issue 26: a site's messages-per-minute limit holds for the whole fleet. Three senders, each
 * with its own connection pool (on PostgreSQL: the shared bucket row, one conditional UPDATE …
 * RETURNING per message), ask for the same site far faster than its limit for one simulated
 * minute: together they are granted the limit, within 10 %.
 *
 * Method: the three walk one simulated clock from t0 to t0 + 60 s in 50 ms ticks; at every tick
 * each asks for a token at that instant, all three at once (on PostgreSQL three pools racing
 * for the one row), taking turns at asking first (about 60 asks a second together against 10 allowed). The
 * clock is simulated so the count does not depend on this machine's speed; it is one clock, as
 * the machine's is for real senders (a sender walking its own clock ahead of the others moves
 * the bucket past them, which real senders sharing one wall clock cannot do); the atomicity
 * (and any race between the three) is the database's, for real.
 */
const T0 = Date.UTC(2026, 2, 2, 19);
const LIMIT = 600;
const TICK_MS = 50;

async function senders(buckets: readonly SiteBuckets[], site: string): Promise<number[][]> {
  const { intervalMs, toleranceMs } = bucketOf(LIMIT);
  const granted = buckets.map((): number[] => []);
  let tick = 0;
  for (let at = T0; at < T0 + 60_000; at += TICK_MS, tick++) {
    const asks = buckets.map((_, j) => {
      const i = (j + tick) % buckets.length;
      return buckets[i]!.take(site, at, intervalMs, toleranceMs).then((wait) => {
        if (wait === 0) granted[i]!.push(at);
      });
    });
    await Promise.all(asks);
  }
  return granted;
}

describeEachEngine('a site limit of 600 a minute, three senders at once', (engine) => {
  const t = useTestStore(engine);

  it("the three together are granted 600 ± 10 % over the minute, and never more than a second's burst in any second", async () => {
    // PostgreSQL: three pools, one bucket row. SQLite: one process, one bucket in its memory.
    const shared = memoryBuckets();
    const buckets =
      engine.name === 'postgres'
        ? [0, 1, 2].map(() => postgresSiteBuckets(t.open({ pool: 2 })))
        : [shared, shared, shared];
    const runs = await senders(buckets, 'google');
    const total = runs.reduce((n, r) => n + r.length, 0);
    console.log(
      `[${engine.name}] granted over the simulated minute: ${runs.map((r) => r.length).join(' + ')} = ${total} (limit ${LIMIT})`,
    );
    expect(total).toBeGreaterThanOrEqual(LIMIT * 0.9);
    expect(total).toBeLessThanOrEqual(LIMIT * 1.1);
    // Every sender got a share: the bucket is theirs together, not the fastest one's.
    for (const r of runs) expect(r.length).toBeGreaterThan(0);
    // No second took more than its 10 plus the burst of 10.
    const perSecond = new Map<number, number>();
    for (const at of runs.flat())
      perSecond.set(Math.floor((at - T0) / 1000), (perSecond.get(Math.floor((at - T0) / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(20);
    // Another site has its own bucket.
    const { intervalMs, toleranceMs } = bucketOf(LIMIT);
    expect(await buckets[0]!.take('microsoft', T0 + 30_000, intervalMs, toleranceMs)).toBe(0);
  }, 120_000);

  it('a limit too high for whole milliseconds (1,000,000 a minute) and a fractional clock are taken, not refused by the database', async () => {
    const buckets = engine.name === 'postgres' ? postgresSiteBuckets(t.db) : memoryBuckets();
    const { intervalMs, toleranceMs } = bucketOf(1_000_000);
    expect(await buckets.take('open-site', T0 + 0.5, intervalMs, toleranceMs)).toBe(0);
    expect(await buckets.take('open-site', T0 + 2.25, intervalMs, toleranceMs)).toBe(0);
  });
});
