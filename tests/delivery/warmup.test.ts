import { describe, expect, it } from 'vitest';
import { runPass, type PassSummary } from '../../src/delivery/dispatcher.ts';
import { capFor, warmupDay, warmupEndDay, warmupStatus, type WarmupParts } from '../../src/delivery/warmup.ts';
import { kyselyWarmupDays } from '../../src/store/shaping.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { insertSubscribers } from './helpers.ts';
import { rigPass, usePassRig } from './pass-rig.ts';

/**
 * Issue 26, warm-up: a new sending domain's first days are capped (200, then ×1.5 a day) for
 * the whole fleet. Readers past the cap are not sent, skipped or rescheduled: they stay due in
 * their order, and the next day's first pass takes the earliest due first. Nobody gets two.
 */
const T = Date.UTC(2026, 2, 2, 19);
const DAY = 86_400_000;
const CURVE = { start: '2026-03-02', first: 200, growth: 1.5 };

describe('the warm-up curve', () => {
  it('starts at 200 and grows by half each day until it passes the list', () => {
    expect([1, 2, 3, 4].map((d) => capFor(CURVE, d))).toEqual([200, 300, 450, 675]);
    expect(warmupDay(CURVE, T, 'UTC')).toBe(1);
    expect(warmupDay(CURVE, T + DAY, 'UTC')).toBe(2);
    expect(warmupEndDay(CURVE, 2000)).toBe(7);
    expect(warmupEndDay(CURVE, 100)).toBe(1);
  });
});

describeEachEngine("warm-up caps a new domain's new tips per day", (engine) => {
  const t = useTestStore(engine);
  const rig = usePassRig(4);

  const warmup = (): WarmupParts => ({ curve: CURVE, store: kyselyWarmupDays(t.db), zone: 'UTC' });
  const warmedPass = (at: number): Promise<PassSummary> =>
    runPass({
      ...rigPass(rig, t.db, at),
      warmup: warmup(),
    });

  it('2,000 readers: 200 on day 1 (the earliest due), none more that day, 300 on day 2, nobody twice', async () => {
    // Reader i came due i seconds before T: reader 1999 is the earliest due.
    const emails = Array.from({ length: 2000 }, (_, i) => `w${String(i).padStart(4, '0')}@example.org`);
    await insertSubscribers(
      t.db,
      emails.map((email, i) => ({ email, nextSendAt: T - i * 1000 })),
    );
    const earliestFirst = [...emails].reverse();

    const day1 = await warmedPass(T);
    expect(day1.sent).toBe(200);
    expect(day1.skipped).toBe(0);
    expect(day1.warmup).toMatchObject({ day: 1, cap: 200, held: true });
    expect(new Set(rig.sink.received.flatMap((m) => m.envelopeTo))).toEqual(new Set(earliestFirst.slice(0, 200)));
    // The readers past the cap stay due as they were: nobody is rescheduled or skipped.
    const stillDue = await t.db.selectFrom('subscribers').select('id').where('next_send_at', '<=', T).execute();
    expect(stillDue).toHaveLength(1800);

    // Later the same day: the cap is used.
    expect((await warmedPass(T + 3_600_000)).sent).toBe(0);
    expect(rig.sink.received).toHaveLength(200);
    expect(await warmupStatus(warmup(), T + 3_600_000)).toMatchObject({
      day: 1,
      cap: 200,
      used: 200,
      listSize: 2000,
      endsOn: '2026-03-08',
    });

    const day2 = await warmedPass(T + DAY);
    expect(day2.sent).toBe(300);
    expect(new Set(rig.sink.received.slice(200).flatMap((m) => m.envelopeTo))).toEqual(
      new Set(earliestFirst.slice(200, 500)),
    );
    const counts = rig.sink.countByRecipient();
    expect(counts.size).toBe(500);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await warmupStatus(warmup(), T + DAY)).toMatchObject({ day: 2, cap: 300, used: 300 });
  }, 180_000);
});
