import { beforeEach, expect, it } from 'vitest';
import { shapingFor } from '../../src/app.ts';
import { runPass, type PassSummary } from '../../src/delivery/dispatcher.ts';
import { shapingLines } from '../../src/delivery/pass-tally.ts';
import { readSites } from '../../src/store/shaping.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { insertSubscribers } from './helpers.ts';
import { rigPass, usePassRig } from './pass-rig.ts';

/**
 * Issue 26, the deferral reflex: Gmail answers `421 4.7.28 … unusual rate` for its recipients.
 * Before, each gmail reader was retried on its own while the pass kept going at Gmail (and three
 * of those in a row stopped the whole pass as "the relay is not taking mail"). Now the google
 * site is suspended for a minute: the other providers' readers are all sent in the same pass,
 * gmail's wait in their order (none skipped, bounced or charged), and after the back-off each
 * gets the tip exactly once.
 */
const T = Date.UTC(2026, 2, 2, 19);
const MINUTE = 60_000;

describeEachEngine('a provider that defers for rate suspends only its own site', (engine) => {
  const t = useTestStore(engine);
  const rig = usePassRig(3);
  beforeEach(() => {
    rig.sink.received.length = 0;
    rig.sink.deferDomain(undefined);
  });

  const shapedPass = async (at: number): Promise<PassSummary> =>
    runPass({
      ...rigPass(rig, t.db, at),
      shaping: { ...(await shapingFor(rig.tp.config, t.db)), limits: {} },
    });

  it('gmail deferred with 421 4.7.28: the other sites are all sent in the same pass; gmail readers wait in order and get the tip once after the back-off', async () => {
    const gmail = Array.from({ length: 12 }, (_, i) => `g${i}@gmail.com`);
    const others = [
      ...Array.from({ length: 12 }, (_, i) => `o${i}@example.org`),
      ...Array.from({ length: 6 }, (_, i) => `m${i}@outlook.com`),
    ];
    // Interleaved, so gmail readers come first in the due order as well as among the others.
    const all = gmail.flatMap((g, i) => [g, ...others.slice(i * 1.5, (i + 1) * 1.5)]);
    await insertSubscribers(
      t.db,
      all.map((email) => ({ email, nextSendAt: T })),
    );
    rig.sink.deferDomain('gmail.com');

    const first = await shapedPass(T);
    expect(first.aborted).toBeUndefined();
    // Every reader of the other sites in this pass.
    const got = rig.sink.countByRecipient();
    for (const email of others) expect(got.get(email), email).toBe(1);
    for (const email of gmail) expect(got.get(email), email).toBeUndefined();
    expect(first.sent).toBe(others.length);
    expect(first.bounced + first.failed).toBe(0);
    // Which site, why and until when.
    const google = first.sites?.google;
    expect(google?.deferred).toBeGreaterThanOrEqual(1);
    expect(google?.suspendedUntil).toBe(T + MINUTE);
    expect(google?.why).toMatch(/^421 4\.7\.28 .*unusual rate/);
    expect(first.sites?.microsoft?.sent).toBe(6);
    const stored = (await readSites(t.db)).find((s) => s.site === 'google');
    expect(stored).toMatchObject({ suspendedUntil: T + MINUTE, level: 0 });
    expect(shapingLines(first)).toEqual([
      expect.stringMatching(/^site google suspended until 2026-03-02T19:01:00\.000Z \(\d+ deferrals?: 421 4\.7\.28 /),
    ]);

    // Nobody was charged: no attempt other than 'sent', no failed or bounced row, nobody suppressed.
    expect(
      await t.db.selectFrom('delivery_attempts').select('outcome').where('outcome', '!=', 'sent').execute(),
    ).toEqual([]);
    expect(
      await t.db.selectFrom('deliveries').select('id').where('state', 'in', ['failed', 'bounced']).execute(),
    ).toEqual([]);
    const rows = await t.db.selectFrom('subscribers').select(['email', 'status', 'next_send_at']).execute();
    expect(rows.every((r) => r.status === 'active')).toBe(true);
    // The gmail readers never claimed kept their place in the due order.
    const gmailDue = rows.filter((r) => r.email.endsWith('@gmail.com') && Number(r.next_send_at) === T);
    const handedBack = await t.db
      .selectFrom('deliveries')
      .select(['attempts', 'state'])
      .where('state', '=', 'retry')
      .execute();
    expect(handedBack.every((d) => d.attempts === 0)).toBe(true);
    expect(gmailDue.length + handedBack.length).toBe(gmail.length);

    // Still suspended 30 s later: nothing goes to Gmail, even though it would take mail now.
    rig.sink.deferDomain(undefined);
    const during = await shapedPass(T + MINUTE / 2);
    expect(during.sent).toBe(0);
    expect(during.sites?.google?.waiting).toBe(gmail.length);
    expect(rig.sink.received).toHaveLength(others.length);

    // After the back-off: every gmail reader once.
    const after = await shapedPass(T + MINUTE + 1);
    expect(after.sent).toBe(gmail.length);
    const final = rig.sink.countByRecipient();
    for (const email of all) expect(final.get(email), email).toBe(1);
    // And never again.
    expect((await shapedPass(T + 2 * MINUTE)).sent).toBe(0);
    expect(rig.sink.received).toHaveLength(all.length);
  }, 60_000);

  it('a second deferral within the hour after the first suspension ends backs off 5 minutes; a clean hour later it starts at 1 minute again', async () => {
    // The first test's passes ran two minutes later than this one starts (simulated time).
    await t.db.deleteFrom('site_state').execute();
    await t.db.deleteFrom('site_buckets').execute();
    const emails = Array.from({ length: 3 }, (_, i) => `later${i}@googlemail.com`);
    await insertSubscribers(
      t.db,
      emails.map((email) => ({ email, nextSendAt: T })),
    );
    rig.sink.deferDomain('googlemail.com', {
      code: 421,
      message: '4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred',
    });
    const a = await shapedPass(T);
    expect(a.sites?.google?.suspendedUntil).toBe(T + MINUTE);
    const b = await shapedPass(T + 2 * MINUTE);
    expect(b.sites?.google?.suspendedUntil).toBe(T + 7 * MINUTE);
    expect(b.sites?.google?.why).toMatch(/TSS04/);
    const c = await shapedPass(T + 7 * MINUTE + 61 * MINUTE);
    expect(c.sites?.google?.suspendedUntil).toBe(T + 68 * MINUTE + MINUTE);
    rig.sink.deferDomain(undefined);
    const d = await shapedPass(T + 70 * MINUTE);
    expect(d.sent).toBe(3);
    expect(rig.sink.received).toHaveLength(3);
  }, 60_000);
});
