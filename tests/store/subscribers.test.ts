import { beforeAll, expect, it } from 'vitest';
import { subscriberRow } from '../../src/store/subscriber-rows.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import type { SubscriberStore } from '../../src/subscription/subscriber-store.ts';
import { queueIn } from '../../src/store/system-email-queue.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newSubscriber, sentDelivery } from '../support/rows.ts';

const T = Date.UTC(2026, 2, 2, 10);

describeEachEngine('the subscriber store', (engine) => {
  const t = useTestStore(engine);
  let store: SubscriberStore;
  beforeAll(() => {
    store = createSubscriberStore(t.db);
  });

  it('answers the health check', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('gives ids, times and counts back as numbers (PostgreSQL returns bigint as text unless told)', async () => {
    const { subscriber } = await store.insert(
      newSubscriber('types@example.org', T, {
        status: 'active',
        confirmedAt: T + 1,
        nextSendAt: T + 2,
        lastSentAt: T - 3,
        confirmSentAt: T + 4,
      }),
    );
    const read = (await store.byEmail('types@example.org'))!;
    expect(read).toEqual(subscriber);
    expect(read).toMatchObject({
      consentAt: T,
      createdAt: T,
      confirmedAt: T + 1,
      statusChangedAt: T,
      nextSendAt: T + 2,
      lastSentAt: T - 3,
      cycle: 0,
      confirmSentAt: T + 4,
    });
    expect(typeof read.id).toBe('number');
    const welcome = await queueIn(t.db, read.id, { kind: 'welcome', messageId: '<types@x>', at: T, expiresAt: T + 10 });
    expect(welcome).toBeTypeOf('number');
    expect(await store.claimNextSystemEmail(T, T - 1)).toEqual({
      id: welcome,
      kind: 'welcome',
      messageId: '<types@x>',
      createdAt: T,
      expiresAt: T + 10,
      attempts: 0,
      claimedAt: T,
      subscriber: read,
    });
    expect((await store.history(read.id)).systemEmails).toEqual([
      { kind: 'welcome', messageId: '<types@x>', createdAt: T, sentAt: null, state: 'queued' },
    ]);
    await store.systemEmailSent(welcome!, T + 5);
    expect(await store.claimNextSystemEmail(T + 6, T + 6)).toBeUndefined();
    for (const n of Object.values(await store.countByStatus())) expect(n).toBeTypeOf('number');
    await store.remove(read.id);
  });

  it('keeps one row per address, compared case-insensitively, stored as given', async () => {
    const a = await store.insert(newSubscriber('Case@Example.org', T));
    const b = await store.insert(newSubscriber('CASE@example.org', T));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.subscriber.id).toBe(a.subscriber.id);
    expect(b.subscriber.email).toBe('Case@Example.org');
    expect((await store.byEmail('case@example.org'))?.publicId).toBe(a.subscriber.publicId);
  });

  it('updates only from the given statuses (one of two racing transitions wins)', async () => {
    const { subscriber } = await store.insert(newSubscriber('race@example.org', T));
    const results = await Promise.all([
      store.update(subscriber.id, { status: 'active' }, ['pending']),
      store.update(subscriber.id, { status: 'active' }, ['pending']),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.update(subscriber.id, { status: 'paused' }, ['pending'])).toBe(false);
    expect((await store.byPublicId(subscriber.publicId))?.status).toBe('active');
  });

  it('queues one welcome per subscriber, any number of confirmations', async () => {
    const { subscriber } = await store.insert(newSubscriber('welcome@example.org', T));
    const email = (kind: 'welcome' | 'confirm', i: number) => ({
      kind,
      messageId: `<${kind}${i}@x>`,
      at: T,
      expiresAt: T + 1,
    });
    const ids = await Promise.all([1, 2, 3].map((i) => queueIn(t.db, subscriber.id, email('welcome', i))));
    expect(ids.filter((id) => id !== undefined)).toHaveLength(1);
    expect(await queueIn(t.db, subscriber.id, email('confirm', 1))).toBeTypeOf('number');
    expect(await queueIn(t.db, subscriber.id, email('confirm', 2))).toBeTypeOf('number');
  });

  it('restarts the series as a new cycle', async () => {
    const { subscriber } = await store.insert(newSubscriber('cycle@example.org', T, { status: 'active' }));
    expect(subscriber.cycle).toBe(0);
    await store.restartCycle(subscriber.id, { nextSendAt: T + 1 });
    await store.restartCycle(subscriber.id, { nextSendAt: T + 2 });
    expect(await store.byPublicId(subscriber.publicId)).toMatchObject({ cycle: 2, nextSendAt: T + 2 });
  });

  it('erasing removes deliveries and system emails with the subscriber', async () => {
    const { subscriber } = await store.insert(newSubscriber('erase@example.org', T, { status: 'active' }));
    await t.db
      .insertInto('deliveries')
      .values(sentDelivery({ subscriberId: subscriber.id, slug: 'a', messageId: '<m@x>', at: T }))
      .execute();
    await queueIn(t.db, subscriber.id, { kind: 'welcome', messageId: '<w@x>', at: T, expiresAt: T + 1 });
    const history = await store.history(subscriber.id);
    expect(history.deliveries).toHaveLength(1);
    expect(history.systemEmails).toHaveLength(1);
    await store.remove(subscriber.id);
    expect(
      await t.db.selectFrom('deliveries').selectAll().where('subscriber_id', '=', subscriber.id).execute(),
    ).toEqual([]);
    expect(
      await t.db.selectFrom('system_emails').selectAll().where('subscriber_id', '=', subscriber.id).execute(),
    ).toEqual([]);
  });

  it('suppressions: erased replaces unsubscribed, bounces and complaints stay', async () => {
    await store.suppress('h1', 'unsubscribed', T);
    await store.suppress('h1', 'erased', T + 1);
    expect((await store.suppression('h1'))?.reason).toBe('erased');
    await store.suppress('h2', 'complained', T);
    await store.suppress('h2', 'erased', T + 1);
    await store.suppress('h2', 'unsubscribed', T + 2);
    expect((await store.suppression('h2'))?.reason).toBe('complained');
    await store.unsuppress('h1');
    expect(await store.suppression('h1')).toBeUndefined();
  });

  it('purges pending subscribers older than the cut-off, and nobody else', async () => {
    const old = T - 31 * 86_400_000;
    await store.insert(newSubscriber('old-pending@example.org', T, { createdAt: old }));
    await store.insert(newSubscriber('old-active@example.org', T, { createdAt: old, status: 'active' }));
    await store.insert(newSubscriber('new-pending@example.org', T, { createdAt: T }));
    expect(await store.purgePending(T - 30 * 86_400_000)).toBe(1);
    expect(await store.byEmail('old-pending@example.org')).toBeUndefined();
    expect(await store.byEmail('old-active@example.org')).toBeDefined();
    expect(await store.byEmail('new-pending@example.org')).toBeDefined();
  });

  it('lists every subscriber in pages, oldest first, filtered by status', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) =>
      newSubscriber(`bulk${i}@example.org`, T, { status: i % 3 === 0 ? 'paused' : 'active' }),
    );
    await t.db.insertInto('subscribers').values(rows.map(subscriberRow)).execute();
    const all: string[] = [];
    for await (const s of store.list()) all.push(s.email);
    expect(all.filter((e) => e.startsWith('bulk'))).toHaveLength(1203);
    expect(new Set(all).size).toBe(all.length);
    let paused = 0;
    for await (const s of store.list({ status: 'paused' })) {
      expect(s.status).toBe('paused');
      paused++;
    }
    expect(paused).toBe(401);
    expect((await store.countByStatus()).paused).toBe(401);
  });
});
