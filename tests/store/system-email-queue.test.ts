import { Migrator, type Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/store/database.ts';
import * as initial from '../../src/store/migrations/001-initial.ts';
import * as rateLimits from '../../src/store/migrations/002-rate-limits.ts';
import * as senders from '../../src/store/migrations/003-senders.ts';
import * as bounces from '../../src/store/migrations/004-bounces.ts';
import * as feedback from '../../src/store/migrations/005-feedback.ts';
import type { Database } from '../../src/store/schema.ts';
import { createSubscriberStore, type ConfirmationRequest } from '../../src/store/subscribers.ts';
import type { SubscriberStore } from '../../src/subscription/subscriber-store.ts';
import { queueIn } from '../../src/store/system-email-queue.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newSubscriber } from '../support/rows.ts';

const T = Date.UTC(2026, 2, 2, 10);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The subscription rules' request, as `subscribe` makes it: 10 minutes apart, 3 a day. */
const request = (at: number, n = at): ConfirmationRequest => ({
  lastAllowedBefore: at - 10 * MINUTE + 1,
  most: 3,
  since: at - DAY,
  email: { kind: 'confirm', messageId: `<confirm.${n}@x>`, at, expiresAt: at + 7 * DAY },
});

describeEachEngine('the system email queue', (engine) => {
  const t = useTestStore(engine);
  let store: SubscriberStore;
  beforeAll(() => {
    store = createSubscriberStore(t.db);
  });

  it('a sign-up queues its confirmation in its own transaction: one per 10 minutes, 3 a rolling day, whichever process asks', async () => {
    const email = 'rules@example.org';
    // Five requests at once: one row, one confirmation. On PostgreSQL each from its own process
    // (its own pool); an SQLite file has one connection per process, and separate processes
    // wait for each other's write lock (the busy timeout), which in one thread would only block it.
    const processes = [
      store,
      ...[1, 2, 3, 4].map(() => (engine.name === 'postgres' ? createSubscriberStore(t.open({ pool: 2 })) : store)),
    ];
    const first = await Promise.all(processes.map((p) => p.signUp(newSubscriber(email, T), () => request(T))));
    expect(first.filter((r) => r.created)).toHaveLength(1);
    expect(first.filter((r) => r.queued !== undefined)).toHaveLength(1);
    expect(first.filter((r) => r.refused === 'recent')).toHaveLength(4);
    const again = (at: number, p = store) => p.signUp(newSubscriber(email, T), () => request(at));
    expect(await again(T + 10 * MINUTE - 1)).toMatchObject({ created: false, refused: 'recent' });
    expect(await again(T + 10 * MINUTE, processes[1])).toMatchObject({ queued: expect.any(Number) });
    expect(await again(T + 20 * MINUTE, processes[2])).toMatchObject({ queued: expect.any(Number) });
    // The fourth in a day is refused, from any process; the next day's first goes.
    expect(await again(T + 30 * MINUTE, processes[3])).toMatchObject({ refused: 'daily-limit' });
    expect(await again(T + 23 * HOUR)).toMatchObject({ refused: 'daily-limit' });
    expect(await again(T + DAY + 1)).toMatchObject({ queued: expect.any(Number) });
    const s = (await store.byEmail(email))!;
    const rows = await t.db
      .selectFrom('system_emails')
      .select(['kind', 'state', 'created_at', 'next_attempt_at', 'expires_at'])
      .where('subscriber_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual(
      [T, T + 10 * MINUTE, T + 20 * MINUTE, T + DAY + 1].map((at) => ({
        kind: 'confirm',
        state: 'queued',
        created_at: at,
        next_attempt_at: at,
        expires_at: at + 7 * DAY,
      })),
    );
    expect(s.confirmSentAt).toBe(T + DAY + 1);
  });

  it('a row change and the email it calls for commit together, or neither does', async () => {
    const { subscriber } = await store.insert(newSubscriber('together@example.org', T));
    const welcome = { kind: 'welcome' as const, messageId: '<welcome.together@x>', at: T, expiresAt: T + 72 * HOUR };
    const results = await Promise.all(
      [1, 2, 3].map(() => store.updateAndQueue(subscriber.id, { status: 'active' }, ['pending'], welcome)),
    );
    expect(results.filter((r) => r.changed)).toEqual([{ changed: true, queued: expect.any(Number) }]);
    expect(await store.updateAndQueue(subscriber.id, { status: 'active' }, ['pending'], welcome)).toEqual({
      changed: false,
    });
    const queued = await t.db
      .selectFrom('system_emails')
      .select('kind')
      .where('subscriber_id', '=', subscriber.id)
      .execute();
    expect(queued).toEqual([{ kind: 'welcome' }]);
  });

  it('three senders draining at once take every due email exactly once (a lease each; SKIP LOCKED on PostgreSQL)', async () => {
    const at = T + 2 * DAY;
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) {
      const { subscriber } = await store.insert(newSubscriber(`drain-${i}@example.org`, T));
      ids.push(
        (await queueIn(t.db, subscriber.id, {
          kind: 'confirm',
          messageId: `<c.drain.${i}@x>`,
          at,
          expiresAt: at + DAY,
        }))!,
      );
    }
    const senders =
      engine.name === 'postgres'
        ? [store, createSubscriberStore(t.open({ pool: 3 })), createSubscriberStore(t.open({ pool: 3 }))]
        : [store, store, store];
    const taken: number[] = [];
    await Promise.all(
      senders.flatMap((sender) =>
        [1, 2, 3].map(async () => {
          for (;;) {
            const claimed = await sender.claimNextSystemEmail(at, at - 30 * MINUTE);
            if (!claimed) return;
            taken.push(claimed.id);
            await sender.systemEmailSent(claimed.id, at);
          }
        }),
      ),
    );
    // Each once (earlier tests' rows that are due go too), and none left due.
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken).toEqual(expect.arrayContaining(ids));
    expect(await store.claimNextSystemEmail(at, at)).toBeUndefined();
  });

  it('a lease, a retry, the relay failing (no attempt spent), expiry, and the bound on waiting confirmations', async () => {
    const at = T + 3 * DAY;
    const { subscriber } = await store.insert(newSubscriber('lease@example.org', T));
    const waitingBefore = await store.waitingConfirmations(1000);
    const id = (await queueIn(t.db, subscriber.id, {
      kind: 'confirm',
      messageId: '<c.lease@x>',
      at,
      expiresAt: at + HOUR,
    }))!;
    expect(await store.waitingConfirmations(1000)).toBe(waitingBefore + 1);
    expect(await store.waitingConfirmations(0)).toBe(1);
    const claimed = (await store.claimSystemEmail(id, at, at - 30 * MINUTE))!;
    expect(claimed).toMatchObject({ id, attempts: 0, claimedAt: at });
    // Held: nobody else takes it until the lease is stale.
    expect(await store.claimSystemEmail(id, at + MINUTE, at + MINUTE - 30 * MINUTE)).toBeUndefined();
    // The relay was down: back in the queue, due now, no attempt spent.
    await store.systemEmailRetry(id, at, { nextAttemptAt: at, error: 'ECONNREFUSED', counted: false });
    const again = (await store.claimNextSystemEmail(at + MINUTE, at + MINUTE - 30 * MINUTE))!;
    expect(again).toMatchObject({ id, attempts: 0 });
    // This email failed (451 for it alone): counted, and due again later.
    await store.systemEmailRetry(id, again.claimedAt, {
      nextAttemptAt: at + 10 * MINUTE,
      error: '451 greylisted',
      counted: true,
    });
    expect(await store.claimNextSystemEmail(at + 5 * MINUTE, at)).toBeUndefined();
    const row2 = await t.db
      .selectFrom('system_emails')
      .select(['state', 'attempts', 'last_error', 'claimed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row2).toEqual({ state: 'queued', attempts: 1, last_error: '451 greylisted', claimed_at: null });
    // A late answer from a lease that was taken over changes nothing.
    await store.systemEmailRetry(id, at, { nextAttemptAt: at, error: 'late', counted: true });
    expect(
      (await t.db.selectFrom('system_emails').select('attempts').where('id', '=', id).executeTakeFirstOrThrow())
        .attempts,
    ).toBe(1);
    // Past its expiry, unsent: expired, never claimed again.
    expect(await store.expireSystemEmails(at + HOUR)).toEqual({ confirm: 1 });
    expect(await store.claimSystemEmail(id, at + HOUR, at + HOUR)).toBeUndefined();
    expect(
      await t.db
        .selectFrom('system_emails')
        .select(['state', 'next_attempt_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ state: 'expired', next_attempt_at: null });
    expect(await store.waitingConfirmations(1000)).toBe(waitingBefore);
  });
});

describeEachEngine('migration 007 (the system email queue) on an existing database', (engine) => {
  const t = useTestStore(engine, { migrate: false });

  /** The database as 0cafdd6 left it: migrations up to 005. */
  async function atVersion5(db: Kysely<Database>): Promise<void> {
    const migrations = {
      '001-initial': initial,
      '002-rate-limits': rateLimits,
      '003-senders': senders,
      '004-bounces': bounces,
      '005-feedback': feedback,
    };
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
    if (error) throw error;
  }

  it('keeps sent rows sent and queues the unsent ones on their old schedule', async () => {
    await atVersion5(t.db);
    const store = createSubscriberStore(t.db);
    const now = T + 10 * DAY;
    const { subscriber } = await store.insert(newSubscriber('old@example.org', T, { status: 'active' }));
    const { subscriber: other } = await store.insert(newSubscriber('other@example.org', T));
    const insert = (
      subscriberId: number,
      kind: 'confirm' | 'welcome' | 'goodbye',
      createdAt: number,
      sentAt: number | null,
    ) =>
      // Only the columns version 5 had.
      t.db
        .insertInto('system_emails')
        .values({
          subscriber_id: subscriberId,
          kind,
          message_id: `<${kind}.${createdAt}@x>`,
          created_at: createdAt,
          sent_at: sentAt,
        } as never)
        .execute();
    await insert(subscriber.id, 'confirm', now - 2 * DAY, now - 2 * DAY);
    await insert(subscriber.id, 'welcome', now - HOUR, null);
    await insert(other.id, 'confirm', now - 8 * DAY, null);
    await insert(other.id, 'goodbye', now - 4 * DAY, null);
    expect((await migrate(t.db)).slice(0, 2)).toEqual(['006-relay-state', '007-system-email-queue']);
    const rows = await t.db
      .selectFrom('system_emails')
      .select(['kind', 'state', 'attempts', 'next_attempt_at', 'expires_at'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { kind: 'confirm', state: 'sent', attempts: 0, next_attempt_at: null, expires_at: null },
      {
        kind: 'welcome',
        state: 'queued',
        attempts: 0,
        next_attempt_at: now - HOUR + 5 * MINUTE,
        expires_at: now - HOUR + 72 * HOUR,
      },
      {
        kind: 'confirm',
        state: 'queued',
        attempts: 0,
        next_attempt_at: now - 8 * DAY + 5 * MINUTE,
        expires_at: now - DAY,
      },
      {
        kind: 'goodbye',
        state: 'queued',
        attempts: 0,
        next_attempt_at: now - 4 * DAY + 5 * MINUTE,
        expires_at: now - DAY,
      },
    ]);
    // The first drain gives up the two that are past it, and sends the welcome.
    expect(await store.expireSystemEmails(now)).toEqual({ confirm: 1, goodbye: 1 });
    expect(await store.claimNextSystemEmail(now, now)).toMatchObject({
      kind: 'welcome',
      subscriber: { email: 'old@example.org' },
    });
  });
});
