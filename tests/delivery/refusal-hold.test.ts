import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusalHold } from '../../src/delivery/refusal-hold.ts';
import type { Database } from '../../src/store/schema.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { insertSubscribers, openDeliveryFixture, pass as runOne, type DeliveryFixture } from './helpers.ts';
import { useSmtpSink } from '../support/use-resource.ts';

const T = Date.UTC(2026, 2, 1, 19);
const MINUTE = 60_000;
const readers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ email: `reader${i}@example.org`, nextSendAt: T }));

const sink = useSmtpSink();
let fixture: DeliveryFixture;
let db: Kysely<Database>;
const pass = (at: number) => runOne(db, fixture.mailer, fixture.project, fixture.tp.config, at);

beforeEach(async () => {
  sink.received.length = 0;
  sink.setRule(undefined);
  sink.setDataRule(undefined);
  fixture = await openDeliveryFixture(sink.url, 2);
  db = fixture.db;
});
afterEach(() => fixture.close());

const statuses = async () => (await db.selectFrom('subscribers').select('status').execute()).map((r) => r.status);
const suppressed = async () =>
  (await db.selectFrom('suppressions').select('email_hash').execute()).map((r) => r.email_hash);

// A refusal whose code is about the sender (5.7.1 relay access denied, 5.4.5 quota) stops the pass
// at once and bounces nobody: see relay-refusals.test.ts. The rule here is the safety net for
// refusals that are worded as the reader's (5.1.x, or a bare 550) but come from a broken relay.
describe('a relay that refuses every recipient bounces nobody', () => {
  it('550 5.1.1 to every RCPT over 5 passes: 0 readers bounced or suppressed, all still due; they all get the tip once the relay is fixed', async () => {
    await insertSubscribers(db, readers(30));
    sink.setRule(() => ({ code: 550, message: '5.1.1 mailbox unknown' }));
    for (let i = 0; i < 5; i++) {
      const summary = await pass(T + i * 20 * MINUTE);
      expect(summary.aborted).toMatch(/recipients in a row were refused/);
      expect(summary.bounced).toBe(0);
      expect(summary.refusalsReleased).toMatch(/not bounced: the pass stopped early/);
    }
    expect(sink.received).toHaveLength(0);
    expect(await statuses()).toEqual(Array(30).fill('active'));
    expect(await suppressed()).toEqual([]);
    // Every reader is still due: either waiting for a retry or never reached.
    const deliveries = await db.selectFrom('deliveries').select(['subscriber_id', 'state']).execute();
    expect(deliveries.every((d) => d.state === 'retry')).toBe(true);
    const waiting = new Set(deliveries.map((d) => d.subscriber_id));
    const due = await db
      .selectFrom('subscribers')
      .select('id')
      .where('next_send_at', '<=', T + 100 * MINUTE)
      .execute();
    expect(new Set([...waiting, ...due.map((r) => r.id)]).size).toBe(30);
    // The refusals are on record, as what they were.
    const attempts = await db.selectFrom('delivery_attempts').select('outcome').execute();
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.outcome === 'permanent')).toBe(true);

    sink.setRule(undefined);
    const fixed = await pass(T + 86_400_000);
    expect(fixed.aborted).toBeUndefined();
    expect(fixed.bounced).toBe(0);
    expect(new Set(sink.received.flatMap((m) => m.envelopeTo)).size).toBe(30);
  });

  it('a server that takes a few messages and then refuses everyone bounces nobody either', async () => {
    await insertSubscribers(db, readers(30));
    let accepted = 0;
    sink.setRule(() => (accepted++ < 4 ? undefined : { code: 554, message: '5.7.1 daily quota exceeded' }));
    const summary = await pass(T);
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.bounced).toBe(0);
    expect(await suppressed()).toEqual([]);
  });
});

describe('a relay that refuses only some recipients', () => {
  it('3 refused of 100: exactly those 3 are bounced and suppressed; the 97 others get the tip', async () => {
    await insertSubscribers(db, readers(100));
    const dead = new Set(['reader7@example.org', 'reader42@example.org', 'reader93@example.org']);
    sink.setRule((to) => (dead.has(to) ? { code: 550, message: '5.1.1 no such user' } : undefined));
    const summary = await pass(T);
    expect(summary).toMatchObject({ sent: 97, bounced: 3, retried: 0 });
    expect(summary.aborted).toBeUndefined();
    const bounced = await db.selectFrom('subscribers').select('email').where('status', '=', 'bounced').execute();
    expect(bounced.map((r) => r.email).sort()).toEqual([...dead].sort());
    expect((await suppressed()).sort()).toEqual([...dead].map(addressHash).sort());
    const states = await db.selectFrom('deliveries').select('state').where('state', '=', 'bounced').execute();
    expect(states).toHaveLength(3);
    expect(sink.received).toHaveLength(97);
  });

  it("a provider refusing one domain's readers in between others (more than 10 %, never 10 in a row) bounces nobody and says why", async () => {
    // Every fifth reader is at the blocked provider: refusals come between deliveries.
    await insertSubscribers(
      db,
      Array.from({ length: 100 }, (_, i) => ({
        email: `reader${i}@${i % 5 ? 'example.org' : 'blocked.example'}`,
        nextSendAt: T,
      })),
    );
    sink.setRule((to) =>
      to.endsWith('@blocked.example') ? { code: 550, message: '5.1.2 domain not found' } : undefined,
    );
    const summary = await pass(T + 60_000);
    expect(summary.aborted).toBeUndefined();
    expect(summary).toMatchObject({ sent: 80, bounced: 0, retried: 20 });
    expect(summary.refusalsReleased).toBe(
      '20 refused recipients were not bounced: 20 of 100 recipients were refused, more than 10 %: that points at the server; they are retried',
    );
    expect(await suppressed()).toEqual([]);
  });
});

describe('a 5xx to DATA', () => {
  it('stops the pass: nobody bounced, the claimed readers retried, the rest still due, all sent once the server takes mail again', async () => {
    await insertSubscribers(db, readers(20));
    sink.setDataRule({ code: 554, message: '5.7.1 message content rejected' });
    const summary = await pass(T);
    expect(summary.aborted).toMatch(/refused the message itself: 554 5\.7\.1 message content rejected/);
    expect(summary).toMatchObject({ sent: 0, bounced: 0 });
    const rows = await db.selectFrom('deliveries').select('state').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.every((r) => r.state === 'retry')).toBe(true);
    expect(await statuses()).toEqual(Array(20).fill('active'));

    sink.setDataRule(undefined);
    const next = await pass(T + 20 * MINUTE);
    expect(next.sent).toBe(20);
    expect(sink.received).toHaveLength(20);
  });
});

describe('the refusal rule', () => {
  const held = (n: number) => {
    const hold = new RefusalHold();
    for (let i = 0; i < n; i++)
      hold.hold({
        deliveryId: i,
        subscriberId: i,
        emailHash: 'h',
        at: 0,
        response: '550',
        heldAttempts: 1,
        email: `r${i}@example.org`,
        slug: 's',
      });
    return hold;
  };
  it('bounces when the server took other mail and refusals are few or a small share', () => {
    expect(held(3).verdict({ sent: 1 })).toEqual({ bounce: true });
    expect(held(9).verdict({ sent: 0 + 1 })).toEqual({ bounce: true });
    expect(held(50).verdict({ sent: 950 })).toEqual({ bounce: true });
  });
  it('releases when the pass stopped, took nothing, or was refused too often', () => {
    expect(held(3).verdict({ sent: 100, aborted: 'shutdown' })).toMatchObject({
      bounce: false,
      why: expect.stringMatching(/stopped early/),
    });
    expect(held(3).verdict({ sent: 0 })).toMatchObject({
      bounce: false,
      why: expect.stringMatching(/took no message/),
    });
    expect(held(20).verdict({ sent: 80 })).toMatchObject({
      bounce: false,
      why: expect.stringMatching(/20 of 100 recipients were refused/),
    });
  });
});
