import { expect, it } from 'vitest';
import { STALE_CLAIM_MS } from '../../src/delivery/retry-policy.ts';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import { claimsMade, insertSubscribers } from '../delivery/helpers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const T = Date.UTC(2026, 2, 1, 19);

describeEachEngine('the claim lease', (engine) => {
  const t = useTestStore(engine);

  it('a renewed claim is not taken back, even by a pass that read it as stale just before', async () => {
    const store = kyselyDeliveryStore(t.db);
    const [a, b] = await insertSubscribers(t.db, [
      { email: 'lease-a@example.org', nextSendAt: T },
      { email: 'lease-b@example.org', nextSendAt: T },
    ]);
    const claim = (id: number) => ({
      subscriberId: id,
      cycle: 0,
      expectedNextSendAt: T,
      nextSendAt: T + 7 * 86_400_000,
      slug: 'tip-one',
      week: 1,
      messageId: `<lease.${id}@example.org>`,
      at: T,
    });
    const [da, db] = (await claimsMade(store, [claim(a!), claim(b!)], [])).claimed;
    // b's message was answered meanwhile: a renewal leaves a settled row alone.
    await store.settleSent({
      deliveryId: db!.id,
      subscriberId: b!,
      at: T + 1,
      response: '250 ok',
      nextSendAt: T + 7 * 86_400_000,
    });

    // Another pass, past the lease, reads a's claim as left by a crash...
    const later = T + STALE_CLAIM_MS + 60_000;
    const [stale] = await store.pendingRetries(later, later - STALE_CLAIM_MS, 0, 10);
    expect(stale).toMatchObject({ id: da!.id, state: 'sending', claimedAt: T });
    // ...but a's sender is alive and still waiting for the answer: it renews its claims.
    await store.renewClaims([da!.id, db!.id], later - 5);
    expect(await store.claimRetry(stale!, later)).toBe(false);

    const rows = await t.db
      .selectFrom('deliveries')
      .select(['id', 'state', 'claimed_at', 'attempts'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: da!.id, state: 'sending', claimed_at: later - 5, attempts: 1 },
      { id: db!.id, state: 'sent', claimed_at: T, attempts: 1 },
    ]);
    // A renewed claim is no longer stale; one left alone for the whole lease is taken back.
    expect(await store.pendingRetries(later, later - STALE_CLAIM_MS, 0, 10)).toEqual([]);
    const afterLease = later - 5 + STALE_CLAIM_MS + 1;
    const [dead] = await store.pendingRetries(afterLease, afterLease - STALE_CLAIM_MS, 0, 10);
    expect(await store.claimRetry(dead!, afterLease)).toBe(true);
  });
});
