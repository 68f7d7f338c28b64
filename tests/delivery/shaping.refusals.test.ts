import { beforeEach, expect, it } from 'vitest';
import { shapingFor } from '../../src/app.ts';
import { runPass, type PassSummary } from '../../src/delivery/dispatcher.ts';
import { shapingLines } from '../../src/delivery/pass-tally.ts';
import { readSites } from '../../src/store/shaping.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { insertSubscribers } from './helpers.ts';
import { rigPass, usePassRig } from './pass-rig.ts';

/**
 * Issue 20 row 2 with issue 26: one provider refuses us for policy (Microsoft's block list,
 * `550 5.7.1 … (S3150)`). Before, that one refusal stopped the whole pass and readers at every
 * other provider waited too. Now only that provider's site waits (an hour): everyone else is sent
 * in the same pass, and its readers keep their place, unbounced and uncharged, and are sent
 * once after the suspension when the provider takes mail again. Two providers refusing alike
 * is our setup's fault: the pass stops as before and nobody's site stays suspended.
 */
const T = Date.UTC(2026, 2, 2, 19);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const S3150 = (to: string) => ({
  code: 550,
  message: `5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent to <${to}>. Please contact your Internet service provider since part of their network is on our block list (S3150).`,
});

describeEachEngine('a provider that refuses us for policy suspends only its own site', (engine) => {
  const t = useTestStore(engine);
  const rig = usePassRig(3);
  beforeEach(async () => {
    rig.sink.received.length = 0;
    rig.sink.setRule(undefined);
    for (const table of ['delivery_attempts', 'deliveries', 'suppressions', 'subscribers', 'site_state'] as const)
      await t.db.deleteFrom(table).execute();
  });

  const pass = async (at: number): Promise<PassSummary> =>
    runPass({
      ...rigPass(rig, t.db, at),
      shaping: { ...(await shapingFor(rig.tp.config, t.db)), limits: {} },
    });

  const nobodyCharged = async () => {
    expect(
      await t.db.selectFrom('delivery_attempts').select('outcome').where('outcome', '!=', 'sent').execute(),
    ).toEqual([]);
    expect(
      await t.db.selectFrom('deliveries').select('id').where('state', 'in', ['failed', 'bounced']).execute(),
    ).toEqual([]);
    expect(await t.db.selectFrom('suppressions').select('email_hash').execute()).toEqual([]);
    const rows = await t.db.selectFrom('subscribers').select('status').execute();
    expect(rows.filter((r) => r.status !== 'active')).toEqual([]);
  };

  it('550 5.7.1 (S3150) from outlook.com only: every other reader is sent in the same pass; outlook readers wait unbounced and uncharged, and get the tip once after the hour', async () => {
    const outlook = Array.from({ length: 6 }, (_, i) => `m${i}@outlook.com`);
    const others = [
      ...Array.from({ length: 12 }, (_, i) => `g${i}@gmail.com`),
      ...Array.from({ length: 12 }, (_, i) => `o${i}@example.org`),
    ];
    // Interleaved: outlook readers come early in the due order, among the others.
    const all = outlook.flatMap((m, i) => [m, ...others.slice(i * 4, (i + 1) * 4)]);
    await insertSubscribers(
      t.db,
      all.map((email) => ({ email, nextSendAt: T })),
    );
    rig.sink.setRule((to) => (to.endsWith('@outlook.com') ? S3150(to) : undefined));

    const first = await pass(T);
    expect(first.aborted).toBeUndefined();
    const got = rig.sink.countByRecipient();
    for (const email of others) expect(got.get(email), email).toBe(1);
    for (const email of outlook) expect(got.get(email), email).toBeUndefined();
    expect(first.sent).toBe(others.length);
    expect(first.bounced + first.failed).toBe(0);
    // Which site, why (no address) and until when: in the summary, the log line and the database.
    const microsoft = first.sites?.microsoft;
    expect(microsoft?.refused).toBeGreaterThanOrEqual(1);
    expect(microsoft?.suspendedUntil).toBe(T + HOUR);
    expect(microsoft?.why).toMatch(/^refused: 550 5\.7\.1 Unfortunately, messages from .*\(S3150\)/);
    expect(microsoft?.why).not.toMatch(/m\d@outlook/);
    expect(shapingLines(first)).toEqual([
      expect.stringMatching(
        /^site microsoft suspended until 2026-03-02T20:00:00\.000Z \(\d+ refusals?: refused: 550 5\.7\.1 .*S3150\)\.\); its readers wait in order, nobody was charged or bounced$/,
      ),
    ]);
    expect((await readSites(t.db)).find((s) => s.site === 'microsoft')).toMatchObject({
      suspendedUntil: T + HOUR,
      refusalLevel: 0,
      deferred: 0,
    });
    await nobodyCharged();
    // `stats` and /metrics, from the database as every sender left it.
    const stats = await runCli(['stats'], rig.tp.dir, { NEWSLETTER_DATABASE_URL: t.url }, new Date(T + MINUTE));
    expect(stats.stdout).toMatch(
      /^ {2}microsoft +0 +0 {2}suspended until 2026-03-02T20:00Z: refused: 550 5\.7\.1 Unfortunately, .*<<address>>.*\(S3150\)/m,
    );
    expect(stats.stdout).not.toMatch(/m\d@outlook/);
    const metrics = createMetrics(
      async () => ({
        subscribers: {},
        deliveries: {},
        retryQueue: 0,
        oldestDueLatenessSeconds: 0,
        sites: await readSites(t.db),
      }),
      () => T + MINUTE,
    );
    const body = (await metrics.scrape()).body;
    expect(body).toContain('newsletter_site_suspended{site="microsoft"} 1');
    expect(body).toContain('newsletter_site_suspended{site="google"} 0');

    // The provider takes mail again, but the site is still suspended half an hour later.
    rig.sink.setRule(undefined);
    const during = await pass(T + 30 * MINUTE);
    expect(during.sent).toBe(0);
    expect(during.sites?.microsoft?.waiting).toBe(outlook.length);

    const after = await pass(T + HOUR + 1);
    expect(after.sent).toBe(outlook.length);
    const final = rig.sink.countByRecipient();
    for (const email of all) expect(final.get(email), email).toBe(1);
    expect((await pass(T + 2 * HOUR)).sent).toBe(0);
    expect(rig.sink.received).toHaveLength(all.length);
    await nobodyCharged();
  }, 90_000);

  it('the same kind of refusal from two sites (5.7.26 at gmail, 5.7.1 at outlook) is our setup: the pass stops as before, no site stays suspended, and everyone is sent once it is fixed', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => [
      `g${i}@gmail.com`,
      `m${i}@outlook.com`,
      `o${i}@example.org`,
    ]).flat();
    await insertSubscribers(
      t.db,
      emails.map((email) => ({ email, nextSendAt: T })),
    );
    rig.sink.setRule((to) =>
      to.endsWith('@gmail.com')
        ? { code: 550, message: '5.7.26 This mail has been blocked because the sender is unauthenticated.' }
        : to.endsWith('@outlook.com')
          ? S3150(to)
          : undefined,
    );
    const first = await pass(T);
    expect(first.stopCause).toBe('relay_refused_sender');
    expect(first.aborted).toMatch(/the relay refused a recipient: 550 5\.7\.(26|1) /);
    expect(first.bounced + first.failed).toBe(0);
    for (const s of await readSites(t.db)) expect(s.suspendedUntil, s.site).toBeLessThanOrEqual(T);
    expect(shapingLines(first)).toEqual([]);
    await nobodyCharged();

    rig.sink.setRule(undefined);
    const fixed = await pass(T + MINUTE);
    expect(fixed.aborted).toBeUndefined();
    const got = rig.sink.countByRecipient();
    for (const email of emails) expect(got.get(email), email).toBe(1);
    await nobodyCharged();
  }, 90_000);
});
