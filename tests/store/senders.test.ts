import { beforeAll, describe, expect, it } from 'vitest';
import { joinSenders, rateShare } from '../../src/delivery/sender-share.ts';
import { pacedMailer } from '../../src/mailer/paced-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { kyselySenderRegistry } from '../../src/store/senders.ts';
import { queueIn } from '../../src/store/system-email-queue.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import type { SubscriberStore } from '../../src/subscription/subscriber-store.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newSubscriber } from '../support/rows.ts';

describe('the rate rule', () => {
  it('splits NEWSLETTER_RATE evenly over the live passes; no rate, no limit', () => {
    expect(rateShare(30, 1)).toBe(30);
    expect(rateShare(30, 2)).toBe(15);
    expect(rateShare(30, 3)).toBe(10);
    expect(rateShare(30, 0)).toBe(30);
    expect(rateShare(undefined, 3)).toBeUndefined();
  });

  it('a paced mailer spaces its sends at the rate it reads at each send', async () => {
    const at: number[] = [];
    const inner: Mailer = {
      concurrency: 4,
      describe: () => 'x',
      close: async () => {},
      send: async () => (at.push(performance.now()), { response: '250' }),
    };
    let rate = 50;
    const paced = pacedMailer(inner, () => rate);
    const msg = { to: 'a@example.org', from: 'b@example.org', subject: 's', html: 'h', text: 't', messageId: '<m@x>' };
    await Promise.all(Array.from({ length: 6 }, () => paced.send(msg)));
    // 6 sends at 50/s: the last goes 5 × 20 ms after the first, never in a burst.
    expect(at[5]! - at[0]!).toBeGreaterThanOrEqual(95);
    rate = 1000;
    const t = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => paced.send(msg)));
    expect(performance.now() - t).toBeLessThan(80);
  });
});

describeEachEngine('the senders registry', (engine) => {
  const t = useTestStore(engine);

  it('two live passes each get half the rate; a pass silent past the stale time is ignored, and one that left is gone', async () => {
    // Another process's registry, as a second sender would see the database.
    const a = kyselySenderRegistry(t.db);
    const b = kyselySenderRegistry(t.open({ pool: 2 }));
    const first = await joinSenders(a, { rate: 20, heartbeatMs: 50, staleMs: 5_000 });
    expect(first.live()).toBe(1);
    expect(first.rate()).toBe(20);

    const joining = Date.now();
    const second = await joinSenders(b, { rate: 20, heartbeatMs: 50, staleMs: 5_000 });
    // With others running, the newcomer waited a heartbeat so they could lower their share first.
    expect(Date.now() - joining).toBeGreaterThanOrEqual(60);
    expect(second.rate()).toBe(10);
    await until(() => first.live() === 2);
    expect(first.rate()).toBe(10);

    // A killed process's row: its heartbeat stopped long ago.
    await t.db
      .insertInto('senders')
      .values({ id: 'killed', host: 'elsewhere', pid: 1, started_at: 0, seen_at: 0 })
      .execute();
    await new Promise((r) => setTimeout(r, 150));
    expect([first.live(), second.live()]).toEqual([2, 2]);

    await second.leave();
    await until(() => first.live() === 1);
    expect(first.rate()).toBe(20);
    await first.leave();
    // The next join clears the stale row as it goes.
    const third = await joinSenders(a, { rate: undefined, heartbeatMs: 50, staleMs: 5_000 });
    expect(third.rate()).toBeUndefined();
    await third.leave();
    expect(await t.db.selectFrom('senders').selectAll().execute()).toEqual([]);
  });

  describe('welcome retries', () => {
    let store: SubscriberStore;
    beforeAll(() => {
      store = createSubscriberStore(t.db);
    });

    it('one claim wins; a failed retry gives it back; a claim older than the lease is taken over; a sent welcome is never claimed', async () => {
      const T = Date.UTC(2026, 2, 1);
      const { subscriber } = await store.insert(
        newSubscriber('claim@example.org', T, {
          publicId: 'welcome-claim',
          status: 'active',
          consentSource: 'cli',
          confirmedAt: T,
        }),
      );
      const id = (await queueIn(t.db, subscriber.id, {
        kind: 'welcome',
        messageId: '<w@x>',
        at: T,
        expiresAt: T + 86_400_000,
      }))!;
      const other = createSubscriberStore(t.open({ pool: 2 }));
      const claims = await Promise.all([
        store.claimSystemEmail(id, T + 1, T - 1),
        other.claimNextSystemEmail(T + 1, T - 1),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimSystemEmail(id, T + 2, T - 1)).toBeUndefined();
      await store.systemEmailRetry(id, T + 1, { nextAttemptAt: T + 1, error: 'down', counted: false });
      expect(await store.claimSystemEmail(id, T + 3, T - 1)).toMatchObject({ id, claimedAt: T + 3 });
      // The sender that claimed at T + 3 died: past the lease another takes it.
      expect(await other.claimNextSystemEmail(T + 10, T + 4)).toMatchObject({ id, claimedAt: T + 10 });
      await store.systemEmailSent(id, T + 11);
      expect(await store.claimSystemEmail(id, T + 20, T + 20)).toBeUndefined();
    });
  });
});

async function until(ok: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
