import { expect, it } from 'vitest';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import { claimsMade, insertSubscribers } from '../delivery/helpers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const T = Date.UTC(2026, 2, 1, 19);

describeEachEngine('the ledger: a settle carried into the next claim', (engine) => {
  const t = useTestStore(engine);

  const claimFor = (subscriberId: number, slug: string, expectedNextSendAt: number) => ({
    subscriberId,
    cycle: 0,
    expectedNextSendAt,
    nextSendAt: T + 7 * 86_400_000,
    slug,
    week: 1,
    messageId: `<${slug}.${subscriberId}@example.org>`,
    at: T,
  });
  const state = async (id: number) =>
    await t.db
      .selectFrom('deliveries')
      .select(['state', 'last_response'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('settles the sent delivery in the claim transaction, and still settles it when the claim is lost', async () => {
    const store = kyselyDeliveryStore(t.db);
    const [a, b, c] = await insertSubscribers(t.db, [
      { email: 'a@example.org', nextSendAt: T },
      { email: 'b@example.org', nextSendAt: T },
      { email: 'c@example.org', nextSendAt: T },
    ]);
    const first = await store.claimNew(claimFor(a!, 'tip-one', T));
    expect(first).toBeDefined();
    expect(await state(first!.id)).toMatchObject({ state: 'sending' });

    const second = await store.claimNew(claimFor(b!, 'tip-one', T), {
      deliveryId: first!.id,
      subscriberId: a!,
      at: T + 1,
      response: '250 ok a',
      nextSendAt: T + 7 * 86_400_000,
    });
    expect(await state(first!.id)).toMatchObject({ state: 'sent', last_response: '250 ok a' });

    // Someone else already has c's row for this tip: the claim is lost and rolled back...
    await t.db
      .insertInto('deliveries')
      .values({
        subscriber_id: c!,
        tip_slug: 'tip-one',
        cycle: 0,
        week: 1,
        state: 'sent',
        attempts: 1,
        message_id: '<x@example.org>',
        created_at: T,
      })
      .execute();
    const lost = await store.claimNew(claimFor(c!, 'tip-one', T), {
      deliveryId: second!.id,
      subscriberId: b!,
      at: T + 2,
      response: '250 ok b',
      nextSendAt: T + 7 * 86_400_000,
    });
    expect(lost).toBeUndefined();
    // ...but the settle it carried is not.
    expect(await state(second!.id)).toMatchObject({ state: 'sent', last_response: '250 ok b' });
    const cRow = await t.db
      .selectFrom('subscribers')
      .select('next_send_at')
      .where('id', '=', c!)
      .executeTakeFirstOrThrow();
    expect(cRow.next_send_at).toBe(T);
    const attempts = await t.db
      .selectFrom('delivery_attempts')
      .select(['delivery_id', 'outcome'])
      .orderBy('id')
      .execute();
    expect(attempts).toEqual([
      { delivery_id: first!.id, outcome: 'sent' },
      { delivery_id: second!.id, outcome: 'sent' },
    ]);
  });

  it('group commit: settles and claims several in one transaction; a lost claim undoes only itself', async () => {
    const store = kyselyDeliveryStore(t.db);
    const [d, e, f, g] = await insertSubscribers(t.db, [
      { email: 'd@example.org', nextSendAt: T },
      { email: 'e@example.org', nextSendAt: T },
      { email: 'f@example.org', nextSendAt: T },
      { email: 'g@example.org', nextSendAt: T },
    ]);
    const {
      claimed: [first],
    } = await claimsMade(store, [claimFor(d!, 'tip-two', T)], []);
    expect(first).toBeDefined();
    // f already has this tip (another pass): its claim is lost, e's and g's in the same group hold.
    await t.db
      .insertInto('deliveries')
      .values({
        subscriber_id: f!,
        tip_slug: 'tip-two',
        cycle: 0,
        week: 1,
        state: 'sent',
        attempts: 1,
        message_id: '<y@example.org>',
        created_at: T,
      })
      .execute();
    const { claimed: group, settled } = await claimsMade(
      store,
      [claimFor(e!, 'tip-two', T), claimFor(f!, 'tip-two', T), claimFor(g!, 'tip-two', T)],
      [{ deliveryId: first!.id, subscriberId: d!, at: T + 1, response: '250 ok d', nextSendAt: T + 7 * 86_400_000 }],
    );
    expect(settled).toBe(1);
    expect(group.map((x) => x !== undefined)).toEqual([true, false, true]);
    expect(await state(first!.id)).toMatchObject({ state: 'sent', last_response: '250 ok d' });
    expect(await state(group[0]!.id)).toMatchObject({ state: 'sending' });
    expect(await state(group[2]!.id)).toMatchObject({ state: 'sending' });
    const next = async (id: number) =>
      (await t.db.selectFrom('subscribers').select('next_send_at').where('id', '=', id).executeTakeFirstOrThrow())
        .next_send_at;
    // The lost claim put f's next send time back; the won claims moved theirs.
    expect(await next(f!)).toBe(T);
    expect(await next(e!)).toBe(T + 7 * 86_400_000);
    expect(await next(g!)).toBe(T + 7 * 86_400_000);
    // A claim on a reader whose next send time moved meanwhile is lost too.
    expect(await store.claimMany([claimFor(e!, 'tip-three', T)], [])).toEqual({ claimed: [undefined], settled: 0 });
  });

  it('settles a whole group of sent messages at once; a reader who left meanwhile keeps their next send time', async () => {
    const store = kyselyDeliveryStore(t.db);
    const ids = await insertSubscribers(
      t.db,
      ['h', 'i', 'j'].map((x) => ({ email: `group-${x}@example.org`, nextSendAt: T })),
    );
    const { claimed } = await claimsMade(
      store,
      ids.map((id) => claimFor(id, 'tip-four', T)),
      [],
    );
    expect(claimed.every((c) => c !== undefined)).toBe(true);
    // j unsubscribed while their message was in flight.
    await t.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', next_send_at: null })
      .where('id', '=', ids[2]!)
      .execute();
    const week = 7 * 86_400_000;
    const { settled } = await claimsMade(
      store,
      [],
      claimed.map((c, k) => ({
        deliveryId: c!.id,
        subscriberId: ids[k]!,
        at: T + 10 + k,
        response: `250 ok ${k}`,
        nextSendAt: T + week + k,
      })),
    );
    expect(settled).toBe(3);
    for (const [k, c] of claimed.entries())
      expect(await state(c!.id)).toMatchObject({ state: 'sent', last_response: `250 ok ${k}` });
    const rows = await t.db
      .selectFrom('subscribers')
      .select(['id', 'next_send_at', 'last_sent_at'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: ids[0], next_send_at: T + week, last_sent_at: T + 10 },
      { id: ids[1], next_send_at: T + week + 1, last_sent_at: T + 11 },
      { id: ids[2], next_send_at: null, last_sent_at: T + 12 },
    ]);
    const attempts = await t.db
      .selectFrom('delivery_attempts')
      .select(['delivery_id', 'at', 'outcome'])
      .where(
        'delivery_id',
        'in',
        claimed.map((c) => c!.id),
      )
      .orderBy('delivery_id')
      .execute();
    expect(attempts).toEqual(claimed.map((c, k) => ({ delivery_id: c!.id, at: T + 10 + k, outcome: 'sent' })));
  });

  it('a group that fails with a database error still settles what was already sent, and says both', async () => {
    const store = kyselyDeliveryStore(t.db);
    const [h, i] = await insertSubscribers(t.db, [
      { email: 'h@example.org', nextSendAt: T },
      { email: 'i@example.org', nextSendAt: T },
    ]);
    const {
      claimed: [sent],
    } = await claimsMade(store, [claimFor(h!, 'tip-four', T)], []);
    // A claim the database refuses (tip_slug is NOT NULL) makes the whole transaction fail.
    const broken = { ...claimFor(i!, 'tip-four', T), slug: null as unknown as string };
    const outcome = await store.claimMany(
      [broken],
      [{ deliveryId: sent!.id, subscriberId: h!, at: T + 1, response: '250 ok h', nextSendAt: T + 7 * 86_400_000 }],
    );
    expect(outcome).toEqual({ failed: expect.any(Error), settled: 1 });
    expect(await state(sent!.id)).toMatchObject({ state: 'sent', last_response: '250 ok h' });
    // The failed claim left nothing behind.
    const iRow = await t.db
      .selectFrom('subscribers')
      .select('next_send_at')
      .where('id', '=', i!)
      .executeTakeFirstOrThrow();
    expect(iRow.next_send_at).toBe(T);
  });
});
