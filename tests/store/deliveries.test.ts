import { beforeAll, expect, it } from 'vitest';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import { seriesStats } from '../../src/store/delivery-stats.ts';
import type { NewClaim, PendingDelivery } from '../../src/store/ledger-rows.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import { insertSubscribers } from '../delivery/helpers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const T = Date.UTC(2026, 2, 2, 19);
const WEEK = 7 * 86_400_000;

/** Every value a row carries is a number, string or null: never a bigint or a numeric string. */
function expectPlainTypes(row: object, numeric: readonly string[]): void {
  for (const key of numeric) {
    const v = (row as Record<string, unknown>)[key];
    expect(v === null || typeof v === 'number', `${key} = ${JSON.stringify(v)} (${typeof v})`).toBe(true);
  }
}

describeEachEngine('the delivery ledger', (engine) => {
  const t = useTestStore(engine);
  let store: ReturnType<typeof kyselyDeliveryStore>;
  beforeAll(() => {
    store = kyselyDeliveryStore(t.db);
  });

  const claim = (subscriberId: number, slug: string, extra: Partial<NewClaim> = {}): NewClaim => ({
    subscriberId,
    cycle: 0,
    expectedNextSendAt: T,
    nextSendAt: T + WEEK,
    slug,
    week: 1,
    messageId: `<${slug}.${subscriberId}@example.org>`,
    at: T,
    ...extra,
  });

  it('lists who is due in (next_send_at, id) order, page after page, with numbers as numbers', async () => {
    const ids = await insertSubscribers(t.db, [
      { email: 'due-b@example.org', nextSendAt: T - 2 },
      { email: 'due-a@example.org', nextSendAt: T - 5, lastSentAt: T - WEEK },
      { email: 'due-c@example.org', nextSendAt: T - 2 },
      { email: 'later@example.org', nextSendAt: T + 1 },
      { email: 'paused@example.org', nextSendAt: T - 9, status: 'paused' },
    ]);
    const first = await store.dueSubscribers(T, undefined, 2);
    expect(first.map((s) => s.email)).toEqual(['due-a@example.org', 'due-b@example.org']);
    for (const s of first) expectPlainTypes(s, ['id', 'cycle', 'nextSendAt', 'lastSentAt']);
    expect(first[0]).toMatchObject({ id: ids[1], nextSendAt: T - 5, lastSentAt: T - WEEK, cycle: 0 });
    const last = first[first.length - 1]!;
    const rest = await store.dueSubscribers(T, { nextSendAt: last.nextSendAt, id: last.id }, 2);
    expect(rest.map((s) => s.email)).toEqual(['due-c@example.org']);
    expect(await store.countDue(T, T - 3_600_000)).toBe(3);
  });

  it('claims once, reads the ledger of the current cycle, and reschedules only from the expected time', async () => {
    const [a, b] = await insertSubscribers(t.db, [
      { email: 'claim-a@example.org', nextSendAt: T },
      { email: 'claim-b@example.org', nextSendAt: T },
    ]);
    const won = await store.claimNew(claim(a!, 'tip-one'));
    expect(won).toEqual({ id: expect.any(Number), attempts: 1, createdAt: T });
    // Same expected time again: next_send_at moved, so the second claim loses.
    expect(await store.claimNew(claim(a!, 'tip-one'))).toBeUndefined();
    // The row exists (someone else claimed it): lost, and next_send_at stays.
    expect(
      await store.claimNew(claim(a!, 'tip-one', { expectedNextSendAt: T + WEEK, nextSendAt: T + 2 * WEEK })),
    ).toBeUndefined();
    const ledger = await store.ledger([a!, b!]);
    expect(ledger.get(a!)).toEqual([{ slug: 'tip-one', state: 'sending' }]);
    expect(ledger.get(b!)).toEqual([]);
    expect(await store.reschedule(b!, T + 1, null)).toBe(false);
    expect(await store.reschedule(b!, T, T + WEEK)).toBe(true);
    const row = await t.db
      .selectFrom('subscribers')
      .select(['next_send_at'])
      .where('id', '=', b!)
      .executeTakeFirstOrThrow();
    expect(row.next_send_at).toBe(T + WEEK);
  });

  it('settles sent, retry, failed and bounced, and finds retries and stale claims', async () => {
    const [sent, retry, stale, gone, bounce] = await insertSubscribers(
      t.db,
      ['settle-sent', 'settle-retry', 'settle-stale', 'settle-gone', 'settle-bounce'].map((n) => ({
        email: `${n}@example.org`,
        nextSendAt: T,
      })),
    );
    const c = async (id: number) => (await store.claimNew(claim(id, 'tip-two', { week: 2 })))!.id;
    const [dSent, dRetry, dStale, dGone, dBounce] = [
      await c(sent!),
      await c(retry!),
      await c(stale!),
      await c(gone!),
      await c(bounce!),
    ];

    await store.settleSent({
      deliveryId: dSent,
      subscriberId: sent!,
      at: T + 1,
      response: '250 ok',
      nextSendAt: T + WEEK,
    });
    await store.settleRetry(dRetry, T + 1, '451 later', T + 60_000);
    await store.settleFailed(dGone, T + 1, 'reader left', 'skipped');
    await store.settleBounced({
      deliveryId: dBounce,
      subscriberId: bounce!,
      emailHash: 'hash-bounce',
      at: T + 1,
      response: '550 no such user',
    });
    // A bounce settles the reader too, and a second one for the same address changes nothing.
    await store.settleBounced({
      deliveryId: dBounce,
      subscriberId: bounce!,
      emailHash: 'hash-bounce',
      at: T + 2,
      response: '550 again',
    });
    expect(await store.suppressed(['hash-bounce', 'hash-other'])).toEqual(new Set(['hash-bounce']));
    const bounced = await t.db
      .selectFrom('subscribers')
      .select(['status', 'next_send_at'])
      .where('id', '=', bounce!)
      .executeTakeFirstOrThrow();
    expect(bounced).toEqual({ status: 'bounced', next_send_at: null });
    const sentRow = await t.db
      .selectFrom('subscribers')
      .select(['last_sent_at', 'next_send_at'])
      .where('id', '=', sent!)
      .executeTakeFirstOrThrow();
    expect(sentRow).toEqual({ last_sent_at: T + 1, next_send_at: T + WEEK });

    // Not yet due, then due: the retry; the claim left in 'sending' counts once it is stale.
    // (Earlier tests left their own claims in 'sending': page from this test's first id.)
    const from = dSent - 1;
    expect((await store.pendingRetries(T + 59_999, T, from, 10)).map((d) => d.id)).toEqual([]);
    const pending = await store.pendingRetries(T + 60_000, T + 1, from, 10);
    expect(pending.map((d) => [d.id, d.state])).toEqual([
      [dRetry, 'retry'],
      [dStale, 'sending'],
    ]);
    for (const d of pending) expectPlainTypes(d, ['id', 'week', 'cycle', 'attempts', 'createdAt', 'claimedAt']);
    expect(pending[0]).toMatchObject({
      slug: 'tip-two',
      week: 2,
      cycle: 0,
      attempts: 1,
      createdAt: T,
      claimedAt: T,
      subscriber: { id: retry!, status: 'active', cycle: 0 },
    });
    expect(await store.countDue(T + 60_000, T + 1)).toBeGreaterThanOrEqual(2);
    // Paging by id.
    expect((await store.pendingRetries(T + 60_000, T + 1, dRetry, 10)).map((d) => d.id)).toEqual([dStale]);

    // A retry is claimed by one of two racing passes only.
    const d = pending[0]!;
    const wins = await Promise.all([store.claimRetry(d, T + 60_000), store.claimRetry(d, T + 60_000)]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const again = await t.db
      .selectFrom('deliveries')
      .select(['state', 'attempts', 'claimed_at'])
      .where('id', '=', dRetry)
      .executeTakeFirstOrThrow();
    expect(again).toEqual({ state: 'sending', attempts: 2, claimed_at: T + 60_000 });
    // A reader who paused meanwhile is not claimed again.
    await t.db.updateTable('subscribers').set({ status: 'paused' }).where('id', '=', stale!).execute();
    expect(await store.claimRetry(pending[1]! as PendingDelivery, T + 60_000)).toBe(false);

    const attempts = await t.db
      .selectFrom('delivery_attempts')
      .select(['delivery_id', 'outcome', 'at'])
      .orderBy('id')
      .execute();
    expect(attempts).toEqual([
      { delivery_id: dSent, outcome: 'sent', at: T + 1 },
      { delivery_id: dRetry, outcome: 'temporary', at: T + 1 },
      { delivery_id: dBounce, outcome: 'permanent', at: T + 1 },
      { delivery_id: dBounce, outcome: 'permanent', at: T + 2 },
    ]);
  });

  it('counts the series: subscribers by status, deliveries by tip and state, who is due (as numbers)', async () => {
    const stats = await seriesStats(t.db, T);
    expect(typeof stats.dueNow).toBe('number');
    for (const n of Object.values(stats.subscribers)) expect(typeof n).toBe('number');
    const two = stats.tips.find((x) => x.slug === 'tip-two')!;
    expect(two.week).toBe(2);
    expect(two.states).toEqual({ sent: 1, sending: 2, failed: 1, bounced: 1 });
    expect(stats.tips.map((x) => x.slug)).toEqual(['tip-one', 'tip-two']);
    expect(stats.subscribers).toEqual(await createSubscriberStore(t.db).countByStatus());
  });

  it('keeps one welcome per subscriber (the partial unique index) and any number of other emails', async () => {
    const [id] = await insertSubscribers(t.db, [{ email: 'welcome-index@example.org', nextSendAt: null }]);
    const row = (kind: 'welcome' | 'confirm', n: number) => ({
      subscriber_id: id!,
      kind,
      message_id: `<${kind}${n}@x>`,
      created_at: T,
      sent_at: null,
    });
    await t.db.insertInto('system_emails').values(row('welcome', 1)).execute();
    await expect(t.db.insertInto('system_emails').values(row('welcome', 2)).execute()).rejects.toThrow(/unique/i);
    await t.db
      .insertInto('system_emails')
      .values([row('confirm', 1), row('confirm', 2)])
      .execute();
  });
});
