import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.ts';
import { useRelayFixture } from './relay-fixture.ts';

/**
 * Issue 20, row 3: a relay that answers 421 (at the greeting, or at MAIL FROM after so many
 * messages) is the relay's trouble, not the readers': the pass stops after a few tries, rc 1, and
 * no reader's retries are spent, so after an outage of any length everyone gets the tip they were
 * due, in order. A tip that failed for the reader's own reason is theirs again at their next slot.
 * Time is passed in (`send --at`): 72 hours in a few seconds.
 */
const T = Date.UTC(2026, 2, 2, 19);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK1 = 'what-happens-in-your-calf';
const WEEK2 = 'cramp-or-something-else';

describeEachEngine('a relay outage', (engine) => {
  const f = useRelayFixture(engine);

  it('421 at the greeting for 80 hours: every pass stops, rc 1, says so; no reader is charged; then each gets week 1, and a week on week 2', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `out${i}@example.org`);
    await f.readers(emails.map((email) => ({ email, nextSendAt: T })));
    f.sink.setGreeting({ code: 421, message: '4.3.2 Service not available, closing transmission channel' });

    for (let at = T; at <= T + 78 * HOUR; at += 6 * HOUR) {
      const run = await f.send(at);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^Pass stopped early: the relay is not taking mail for now: \d+ tries in a row failed \(SMTP smtp:\/\/127\.0\.0\.1:\d+ \(pool 2\)\); last: 421 4\.3\.2 Service not available, closing transmission channel\. No reader's retries were used; the next pass tries again/m,
      );
      expect(run.stdout).toMatch(/^sent 0, failed 0, bounced 0/);
    }
    expect(f.sink.received).toEqual([]);
    // Nothing counts against anyone: no attempt, no failed delivery, nobody's 72 hours started.
    const rows = await f.db.selectFrom('deliveries').select(['state', 'attempts']).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.state === 'retry' && r.attempts === 0)).toBe(true);
    expect(await f.db.selectFrom('delivery_attempts').select('id').execute()).toEqual([]);

    f.sink.setGreeting(undefined);
    const back = T + 80 * HOUR;
    const run = await f.send(back);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sent 6, failed 0, bounced 0/);
    for (const email of emails) expect(f.tipsOf(email)).toEqual([WEEK1]);
    // In order: a week later, week 2, once each.
    for (let at = back + 6 * DAY; at <= back + 8 * DAY; at += 6 * HOUR) expect((await f.send(at)).code).toBe(0);
    for (const email of emails) expect(f.tipsOf(email)).toEqual([WEEK1, WEEK2]);
    expect(await f.db.selectFrom('deliveries').select('state').where('state', '!=', 'sent').execute()).toEqual([]);
  }, 400_000);

  it('421 at MAIL FROM after 20 messages: 20 sent, the pass stops after a few, rc 1; the other 10 are not charged and get the tip when the relay is back', async () => {
    const emails = Array.from({ length: 30 }, (_, i) => `mail${i}@example.org`);
    await f.readers(emails.map((email) => ({ email, nextSendAt: T })));
    // Counted at MAIL FROM, where the relay decides: two connections at once never make it 21.
    let mails = 0;
    f.sink.setSenderRule(() =>
      mails >= 20 ? { code: 421, message: '4.7.0 Try again later, closing connection' } : void mails++,
    );

    const run = await f.send(T);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^sent 20, failed 0, bounced 0, retried later \d+/);
    expect(run.stderr).toMatch(
      /Pass stopped early: the relay is not taking mail for now: \d+ tries in a row failed .*; last: 421 4\.7\.0 Try again later, closing connection\. No reader's retries were used/,
    );
    const waiting = await f.db.selectFrom('deliveries').select(['attempts']).where('state', '=', 'retry').execute();
    expect(waiting.every((r) => r.attempts === 0)).toBe(true);
    expect(
      await f.db.selectFrom('delivery_attempts').select('outcome').where('outcome', '!=', 'sent').execute(),
    ).toEqual([]);

    f.sink.setSenderRule(undefined);
    expect((await f.send(T + 74 * HOUR)).code).toBe(0);
    expect(f.sink.received).toHaveLength(30);
    for (const email of emails) expect(f.tipsOf(email)).toEqual([WEEK1]);
  }, 180_000);

  it("a 4.x.x about the sender for one recipient while the relay takes mail for others is that reader's: charged, and it ends after 72 hours", async () => {
    await f.readers([
      { email: 'lookup@broken-dns.example', nextSendAt: T },
      ...Array.from({ length: 5 }, (_, i) => ({ email: `ok${i}@example.org`, nextSendAt: T })),
    ]);
    f.sink.setRule((to) =>
      to.endsWith('@broken-dns.example')
        ? { code: 451, message: `4.4.0 <${to}>: Temporary lookup failure` }
        : undefined,
    );
    const first = await f.send(T);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^sent 5, failed 0, bounced 0, retried later 1/);
    const row = () =>
      f.db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['deliveries.id', 'state', 'attempts', 'next_attempt_at'])
        .where('email', '=', 'lookup@broken-dns.example')
        .executeTakeFirstOrThrow();
    const charged = await row();
    expect(charged).toMatchObject({ state: 'retry', attempts: 1 });
    // 15 minutes after the attempt (stamped by the pass's clock: `--at` plus the time it took).
    expect(charged.next_attempt_at! - T).toBeGreaterThanOrEqual(15 * 60_000);
    expect(charged.next_attempt_at! - T).toBeLessThan(16 * 60_000);
    // Later passes have only this one to try: still the reader's, until the 72 hours are over.
    for (let i = 0; i < 20; i++) {
      const r = await row();
      if (r.state !== 'retry') break;
      expect((await f.send(r.next_attempt_at!)).code).toBe(0);
    }
    const done = await row();
    expect(done.state).toBe('failed');
    const attempts = await f.db
      .selectFrom('delivery_attempts')
      .select('outcome')
      .where('delivery_id', '=', done.id)
      .execute();
    expect(attempts.length).toBeGreaterThan(5);
    expect(attempts.every((a) => a.outcome === 'temporary')).toBe(true);
  }, 400_000);

  it("a tip that failed for the reader's own reason (mailbox full for 72 hours) is theirs again at their next slot, never counted as had", async () => {
    await f.readers([
      { email: 'full@example.org', nextSendAt: T },
      { email: 'fine@example.org', nextSendAt: T },
    ]);
    let full = true;
    f.sink.setRule((to) =>
      to === 'full@example.org' && full ? { code: 452, message: '4.2.2 <full@example.org>: Mailbox full' } : undefined,
    );
    // Every pass that has something to retry, through the 72 hours.
    for (let i = 0; i < 20; i++) {
      const row = await f.db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['state', 'next_attempt_at'])
        .where('email', '=', 'full@example.org')
        .executeTakeFirst();
      if (row && row.state !== 'retry') break;
      const run = await f.send(row?.next_attempt_at ?? T);
      expect(run.code).toBe(0);
    }
    const failed = await f.db
      .selectFrom('deliveries')
      .select(['tip_slug', 'state'])
      .where('state', '=', 'failed')
      .execute();
    expect(failed).toEqual([{ tip_slug: WEEK1, state: 'failed' }]);
    expect(f.tipsOf('fine@example.org')).toEqual([WEEK1]);

    // Their next slot, a week on: the same tip again (not week 2), while the other reader moves on.
    full = false;
    for (let at = T + 6 * DAY; at <= T + 8 * DAY; at += 6 * HOUR) expect((await f.send(at)).code).toBe(0);
    expect(f.tipsOf('full@example.org')).toEqual([WEEK1]);
    expect(f.tipsOf('fine@example.org')).toEqual([WEEK1, WEEK2]);
    for (let at = T + 13 * DAY; at <= T + 16 * DAY; at += 6 * HOUR) expect((await f.send(at)).code).toBe(0);
    expect(f.tipsOf('full@example.org')).toEqual([WEEK1, WEEK2]);
  }, 400_000);
});
