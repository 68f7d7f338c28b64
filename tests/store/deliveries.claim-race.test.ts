import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import type { DueSubscriber, SentSettle } from '../../src/store/ledger-rows.ts';
import type { Database } from '../../src/store/schema.ts';
import { insertSubscribers } from '../delivery/helpers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const T = Date.UTC(2026, 2, 1, 19);
const WEEK = 7 * 86_400_000;
const READERS = 200;
const SLOTS = 5;

/**
 * One sender as the dispatcher drives the store: SLOTS claims in flight, each slot carrying the
 * settle of the message it just "sent" into its next claim's transaction. Returns the ids it won.
 */
async function sender(db: Kysely<Database>, due: readonly DueSubscriber[], name: string): Promise<number[]> {
  const store = kyselyDeliveryStore(db);
  const won: number[] = [];
  let next = 0;
  const slot = async () => {
    let carried: SentSettle | undefined;
    while (next < due.length) {
      const s = due[next++]!;
      const claimed = await store.claimNew(
        {
          subscriberId: s.id,
          cycle: s.cycle,
          expectedNextSendAt: s.nextSendAt,
          nextSendAt: s.nextSendAt + WEEK,
          slug: 'tip-one',
          week: 1,
          messageId: `<tip-one.${s.publicId}@example.org>`,
          at: T,
        },
        carried,
      );
      carried = undefined;
      if (!claimed) continue;
      won.push(s.id);
      carried = {
        deliveryId: claimed.id,
        subscriberId: s.id,
        at: T + 1,
        response: `250 ok ${name}`,
        nextSendAt: s.nextSendAt + WEEK,
      };
    }
    if (carried) await store.settleSent(carried);
  };
  await Promise.all(Array.from({ length: SLOTS }, slot));
  return won;
}

describeEachEngine('claims from two senders at once', (engine) => {
  const t = useTestStore(engine);

  it(`${READERS} due readers, two senders racing over the same list: each reader claimed and sent exactly once`, async () => {
    const ids = await insertSubscribers(
      t.db,
      Array.from({ length: READERS }, (_, i) => ({ email: `race${i}@example.org`, nextSendAt: T - (i % 7) })),
    );
    // Two pools on PostgreSQL: two processes' worth of connections, READ COMMITTED, real row
    // locks. On SQLite two connections in one process cannot wait for each other (better-sqlite3
    // blocks the thread while busy), so both senders share one connection here and the
    // cross-process case is tests/delivery/processes.test.ts.
    const [a, b] = engine.name === 'postgres' ? [t.open({ pool: SLOTS }), t.open({ pool: SLOTS })] : [t.db, t.db];
    // Both read the due list before either claims, as two passes starting together do.
    const dueA = await kyselyDeliveryStore(a).dueSubscribers(T, undefined, READERS);
    const dueB = await kyselyDeliveryStore(b).dueSubscribers(T, undefined, READERS);
    expect(dueA).toHaveLength(READERS);
    const [wonA, wonB] = await Promise.all([sender(a, dueA, 'a'), sender(b, dueB, 'b')]);

    expect(wonA.length + wonB.length).toBe(READERS);
    expect(new Set([...wonA, ...wonB])).toEqual(new Set(ids));
    const perReader = await t.db.selectFrom('deliveries').select(['subscriber_id', 'state']).execute();
    expect(perReader).toHaveLength(READERS);
    expect(perReader.every((d) => d.state === 'sent')).toBe(true);
    const attempts = await t.db
      .selectFrom('delivery_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(attempts.n).toBe(READERS);
    expect(await kyselyDeliveryStore(t.db).countDue(T, T - 3_600_000)).toBe(0);
  });
});

describeEachEngine(
  'a claim and a row another transaction holds',
  (engine) => {
    const t = useTestStore(engine);

    // PostgreSQL only: SQLite has one writer at a time, so there is no row lock to skip.
    it('gives the claim up at once instead of queueing behind the holder (and deadlocking with it)', async () => {
      const [id] = await insertSubscribers(t.db, [{ email: 'held@example.org', nextSendAt: T }]);
      const claim = {
        subscriberId: id!,
        cycle: 0,
        expectedNextSendAt: T,
        nextSendAt: T + WEEK,
        slug: 'tip-one',
        week: 1,
        messageId: '<held@example.org>',
        at: T,
      };
      const store = kyselyDeliveryStore(t.db);
      await t
        .open({ pool: 1 })
        .transaction()
        .execute(async (trx) => {
          // Another sender's claim or settle, or a site request, mid-transaction on this reader.
          await trx.updateTable('subscribers').set({ name: 'held' }).where('id', '=', id!).execute();
          const outcome = await Promise.race([
            store.claimNew(claim),
            new Promise((r) => setTimeout(() => r('waited'), 2000)),
          ]);
          expect(outcome).toBeUndefined();
        });
      expect(await store.claimNew(claim)).toMatchObject({ attempts: 1 });
    });
  },
  'postgres',
);
