import { expect, it } from 'vitest';
import { kyselyRateLimitCounter } from '../../src/store/rate-limits.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const MINUTE = 60_000;
const T = Date.UTC(2026, 2, 2, 10);

describeEachEngine('rate limit counts', (engine) => {
  const t = useTestStore(engine);

  it('counts hits in a window that begins at the first one, and starts a new window after it ends', async () => {
    const c = kyselyRateLimitCounter(t.db);
    expect(await c.hit('k1', MINUTE, T)).toEqual({ count: 1, windowStart: T });
    expect(await c.hit('k1', MINUTE, T + 10_000)).toEqual({ count: 2, windowStart: T });
    expect(await c.read('k1', MINUTE, T + 20_000)).toEqual({ count: 2, windowStart: T });
    expect(await c.hit('k1', MINUTE, T + MINUTE - 1)).toEqual({ count: 3, windowStart: T });
    expect(await c.hit('k1', MINUTE, T + MINUTE)).toEqual({ count: 1, windowStart: T + MINUTE });
    expect((await c.read('k1', MINUTE, T + 3 * MINUTE)).count).toBe(0);
    expect(await c.hit('other', MINUTE, T)).toEqual({ count: 1, windowStart: T });
  });

  it('never loses a count when two connection pools (two processes) hit one key at once', async () => {
    const a = kyselyRateLimitCounter(t.open({ pool: 4 }));
    const b = kyselyRateLimitCounter(t.open({ pool: 4 }));
    const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit('flood', MINUTE, T)));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('prunes windows that began before a time, and only those', async () => {
    const c = kyselyRateLimitCounter(t.db);
    await c.hit('old', MINUTE, T - 2 * 3_600_000);
    await c.hit('new', MINUTE, T);
    expect(await c.prune(T - 3_600_000)).toBeGreaterThanOrEqual(1);
    expect((await c.read('old', 10 * 3_600_000, T)).count).toBe(0);
    expect((await c.read('new', MINUTE, T)).count).toBe(1);
  });
});
