import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.ts';
import { useRelayFixture } from './relay-fixture.ts';

/**
 * Issue 20, row 2: a relay that refuses recipients for its own reasons (relaying, a block list, a
 * sending quota). The enhanced status code decides: 5.7.x, 5.4.x and 5.3.x are about the sender,
 * so nobody is bounced and the pass stops with one line that quotes the relay and says what to fix.
 */
const T = Date.UTC(2026, 2, 2, 19);
const HOUR = 3_600_000;

describeEachEngine('a relay that refuses recipients for reasons about the sender', (engine) => {
  const f = useRelayFixture(engine);

  const everyoneActive = async (n: number) => {
    const rows = await f.db.selectFrom('subscribers').select('status').execute();
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.status !== 'active')).toEqual([]);
    expect(await f.db.selectFrom('suppressions').select('email_hash').execute()).toEqual([]);
    expect(
      await f.db.selectFrom('deliveries').select('id').where('state', 'in', ['bounced', 'failed']).execute(),
    ).toEqual([]);
    // No attempt is held against any reader.
    expect(
      await f.db.selectFrom('delivery_attempts').select('outcome').where('outcome', '!=', 'sent').execute(),
    ).toEqual([]);
  };

  it('554 5.7.1 Relay access denied for 9 of 12 readers: nobody bounced or suppressed, rc 1 with one line saying what to fix; all 12 get the tip once it is fixed', async () => {
    const emails = Array.from({ length: 12 }, (_, i) => `reader${i}@example.org`);
    await f.readers(emails.map((email) => ({ email, nextSendAt: T })));
    const allowed = new Set(['reader0@example.org', 'reader5@example.org', 'reader11@example.org']);
    f.sink.setRule((to) =>
      allowed.has(to) ? undefined : { code: 554, message: `5.7.1 <${to}>: Relay access denied` },
    );

    for (const at of [T, T + HOUR, T + 2 * HOUR]) {
      const run = await f.send(at);
      expect(run.code).toBe(1);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('Pass stopped early'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^Pass stopped early: the relay refused a recipient: 554 5\.7\.1 <<address>>: Relay access denied \(5\.7\.1: policy, relaying or a block list; about the sender, not the reader, so nobody was bounced\); check that the relay account in NEWSLETTER_SMTP_URL may send/,
      );
      // The line is about the relay: no reader's address in it.
      expect(lines[0]).not.toMatch(/reader\d+@/);
      expect(run.stdout).toMatch(/bounced 0/);
    }
    await everyoneActive(12);

    f.sink.setRule(undefined);
    const fixed = await f.send(T + 3 * HOUR);
    expect(fixed.code).toBe(0);
    for (const email of emails) expect(f.tipsOf(email)).toEqual(['what-happens-in-your-calf']);
    await everyoneActive(12);
  }, 180_000);

  it('550 5.7.1 … blocked using Spamhaus by two providers (95 of 1,000 readers): the relay’s IP, not one provider, so nobody bounced, rc 1; every reader gets the tip once the block is lifted', async () => {
    // Every 10th or 11th reader is at one of two providers that block the relay's IP. One provider
    // alone only suspends its own site (tests/delivery/shaping.refusals.test.ts); two refusing
    // alike is the sender's setup, and the pass stops.
    const blocked = (i: number) => i % 10 === 3 && i < 950;
    const emails = Array.from(
      { length: 1000 },
      (_, i) => `r${i}@${blocked(i) ? `${i % 20 === 3 ? 'blocking' : 'other'}-provider.example` : 'example.org'}`,
    );
    expect(emails.filter((e) => e.endsWith('-provider.example'))).toHaveLength(95);
    await f.readers(emails.map((email) => ({ email, nextSendAt: T })));
    f.sink.setRule((to) =>
      to.endsWith('-provider.example')
        ? {
            code: 550,
            message:
              '5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.25',
          }
        : undefined,
    );

    let passes = 0;
    let at = T;
    for (; passes < 2; passes++, at += HOUR) {
      const run = await f.send(at);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /Pass stopped early: the relay refused a recipient: 550 5\.7\.1 Service unavailable; Client host \[192\.0\.2\.25\] blocked using zen\.spamhaus\.org.*\(5\.7\.1: policy, relaying or a block list; about the sender, not the reader, so nobody was bounced\); check .*no block list \(e\.g\. Spamhaus's lookup\)/,
      );
    }
    await everyoneActive(1000);

    f.sink.setRule(undefined);
    expect((await f.send(at)).code).toBe(0);
    for (const email of emails) expect(f.tipsOf(email)).toEqual(['what-happens-in-your-calf']);
    await everyoneActive(1000);
  }, 400_000);

  it('550 5.4.5 Daily sending quota exceeded for the last 5 of 200: 195 sent, nobody bounced, rc 1 naming the quota; the 5 get it the next day', async () => {
    const emails = Array.from({ length: 200 }, (_, i) => `q${i}@example.org`);
    await f.readers(emails.map((email) => ({ email, nextSendAt: T })));
    // Counted at RCPT, where the relay decides: two connections at once never make it 196.
    let taken = 0;
    f.sink.setRule(() => (taken >= 195 ? { code: 550, message: '5.4.5 Daily sending quota exceeded' } : void taken++));

    const run = await f.send(T);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^sent 195, failed 0, bounced 0/);
    expect(run.stderr).toMatch(
      /Pass stopped early: the relay refused a recipient: 550 5\.4\.5 Daily sending quota exceeded \(5\.4\.5: routing, quota or congestion; about the sender, not the reader, so nobody was bounced\); check the relay account's sending quota/,
    );
    await everyoneActive(200);

    f.sink.setRule(undefined);
    expect((await f.send(T + 24 * HOUR)).code).toBe(0);
    expect(f.sink.received).toHaveLength(200);
    for (const email of emails) expect(f.tipsOf(email)).toEqual(['what-happens-in-your-calf']);
  }, 180_000);

  it('a refusal about the reader (550 5.1.1) among deliveries is still a bounce: the table only spares the sender’s refusals', async () => {
    await f.readers(Array.from({ length: 20 }, (_, i) => ({ email: `b${i}@example.org`, nextSendAt: T })));
    f.sink.setRule((to) =>
      to === 'b7@example.org'
        ? { code: 550, message: '5.1.1 <b7@example.org>: Recipient address rejected: User unknown' }
        : undefined,
    );
    const run = await f.send(T);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sent 19, failed 0, bounced 1/);
    const bounced = await f.db.selectFrom('subscribers').select('email').where('status', '=', 'bounced').execute();
    expect(bounced).toEqual([{ email: 'b7@example.org' }]);
  }, 90_000);
});
