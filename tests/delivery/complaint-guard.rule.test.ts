import { describe, expect, it } from 'vitest';
import { DEFAULT_GUARD } from '../../src/config.ts';
import { complaintGuard, judge, type GuardEvent, type GuardFigures } from '../../src/delivery/complaint-guard.ts';

const none: GuardFigures = { delivered: 0, refused: 0, hardBounces: 0, complaints: 0 };
const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 2, 19);

describe('the guard rule on one window', () => {
  it('pauses at exactly 0.3 % complaints and 5 % hard bounces, warns from 0.1 % and 2 %, not below', () => {
    expect(judge({ ...none, delivered: 1000, complaints: 3 }, DEFAULT_GUARD).pause).toMatch(/^complaint rate 0\.3 %/);
    expect(judge({ ...none, delivered: 1000, complaints: 2 }, DEFAULT_GUARD)).toEqual({
      warnings: [expect.stringMatching(/at or above the 0\.1 % warning line \(tip sends pause at 0\.3 %\)$/)],
    });
    expect(judge({ ...none, delivered: 1000, complaints: 0 }, DEFAULT_GUARD)).toEqual({ warnings: [] });
    expect(judge({ ...none, delivered: 10_000, complaints: 9 }, DEFAULT_GUARD)).toEqual({ warnings: [] });
    // 20 refused during SMTP and 30 hard bounces later, of 1,000 sent: 5 %.
    expect(
      judge({ ...none, delivered: 980, refused: 20, hardBounces: 29 }, { ...DEFAULT_GUARD, minDelivered: 900 }).pause,
    ).toBeUndefined();
    expect(
      judge({ ...none, delivered: 980, refused: 20, hardBounces: 30 }, { ...DEFAULT_GUARD, minDelivered: 900 }).pause,
    ).toMatch(/^hard-bounce rate 5 % \(50 of 1,000 sent\)/);
    // A line read from the environment (0.7 / 100 is 0.007000000000000001) is still met exactly.
    expect(
      judge({ ...none, delivered: 1000, complaints: 7 }, { ...DEFAULT_GUARD, complaintPause: 0.7 / 100 }).pause,
    ).toMatch(/^complaint rate 0\.7 %/);
    expect(judge({ ...none, delivered: 1000, hardBounces: 20 }, DEFAULT_GUARD).warnings).toHaveLength(1);
  });

  it('under the minimum delivered it only warns, saying so', () => {
    const v = judge({ ...none, delivered: 999, complaints: 30 }, DEFAULT_GUARD);
    expect(v.pause).toBeUndefined();
    expect(v.warnings).toEqual([
      expect.stringContaining('fewer than 1,000 tips were delivered in the window, so it only warns'),
    ]);
  });
});

/** An in-memory guard store: the shape the database implements, with the numbered writes. */
function memoryStore(figures: (since: number) => GuardFigures) {
  const events: GuardEvent[] = [];
  return {
    events,
    guardLatest: async () => events.at(-1),
    guardAppend: async (afterSeq: number, e: Omit<GuardEvent, 'seq'>) => {
      if ((events.at(-1)?.seq ?? 0) !== afterSeq) return false;
      events.push({ seq: afterSeq + 1, ...e });
      return true;
    },
    guardFigures: async (since: number) => figures(since),
  };
}

describe('the guard over time', () => {
  it('a pause stays until released, whatever the rates do; after a release only newer figures count', async () => {
    let since = 0;
    const store = memoryStore((s) => ((since = s), { ...none, delivered: 1000, complaints: 4 }));
    const guard = complaintGuard(store, DEFAULT_GUARD);
    expect((await guard.status(T)).paused).toBe(false);
    expect(store.events).toEqual([]);
    expect((await guard.check(T)).paused).toBe(true);
    expect(since).toBe(T - 30 * DAY);
    expect((await guard.check(T + DAY)).paused).toBe(true);
    expect(store.events).toHaveLength(1);
    expect(await guard.release('checked', T + 2 * DAY)).toMatchObject({ released: true, report: { paused: false } });
    expect(since).toBe(T + 2 * DAY);
    expect((await guard.release('again', T + 2 * DAY)).released).toBe(false);
  });

  it('two senders that see the crossing at once write one pause', async () => {
    const store = memoryStore(() => ({ ...none, delivered: 1000, complaints: 4 }));
    const a = complaintGuard(store, DEFAULT_GUARD);
    const b = complaintGuard(store, DEFAULT_GUARD);
    const [x, y] = await Promise.all([a.check(T), b.check(T)]);
    expect([x.paused, y.paused]).toEqual([true, true]);
    expect(store.events.map((e) => e.kind)).toEqual(['paused']);
  });
});
