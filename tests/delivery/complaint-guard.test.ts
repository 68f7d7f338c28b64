import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import type { Database } from '../../src/store/schema.ts';
import { describeEachEngine } from '../support/engines.ts';
import { sentDelivery } from '../support/rows.ts';
import { insertSubscribers } from './helpers.ts';
import { useRelayFixture } from './relay-fixture.ts';

/**
 * Issue 24 §2: over the tips delivered in 30 days, a complaint rate at or above 0.3 % (or a
 * hard-bounce rate at or above 5 %) pauses tip sends on every sender until an operator releases
 * it with a reason; under 1,000 delivered it only warns; confirmations still go out.
 */
const T = Date.UTC(2026, 2, 2, 19);
const DAY = 86_400_000;
const TOKEN = 'a-metrics-token-of-decent-length';
const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

/**
 * `delivered` tips in the ledger, sent at `at` (to one archive reader, so the rows are cheap),
 * and `complaints` readers who complained at `at`. Written straight into the tables for speed.
 */
async function history(
  db: Kysely<Database>,
  o: { delivered: number; complaints?: number; hardBounces?: number; at: number; tag: string },
): Promise<void> {
  const [archive] = await insertSubscribers(db, [
    { email: `archive-${o.tag}@example.org`, status: 'unsubscribed', nextSendAt: null },
  ]);
  const rows = Array.from({ length: o.delivered }, (_, i) =>
    sentDelivery({
      subscriberId: archive!,
      slug: `old-${o.tag}-${i}`,
      messageId: `<old.${o.tag}.${i}@example.org>`,
      at: o.at,
    }),
  );
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('deliveries')
      .values(rows.slice(i, i + 400))
      .execute();
  const events = [
    ...Array.from({ length: o.complaints ?? 0 }, () => 'complaint' as const),
    ...Array.from({ length: o.hardBounces ?? 0 }, () => 'hard' as const),
  ];
  const who = await insertSubscribers(
    db,
    events.map((kind, i) => ({
      email: `${kind}-${o.tag}-${i}@example.org`,
      status: kind === 'hard' ? 'bounced' : 'complained',
      nextSendAt: null,
    })),
  );
  if (events.length)
    await db
      .insertInto('bounce_events')
      .values(
        events.map((kind, i) => ({
          subscriber_id: who[i]!,
          delivery_id: null,
          kind,
          source: 'arf' as const,
          status: kind === 'complaint' ? 'abuse' : '5.1.1',
          detail: null,
          event_key: `${o.tag}-${i}`,
          received_at: o.at,
        })),
      )
      .execute();
}

describeEachEngine('the complaint and bounce guard', (engine) => {
  const f = useRelayFixture(engine);
  const clear = () => f.db.deleteFrom('guard_events').execute();
  const metricsEnv = () => ({
    NEWSLETTER_SECRET: SECRET,
    NEWSLETTER_DATABASE_URL: f.store.url,
    NEWSLETTER_METRICS_TOKEN: TOKEN,
  });

  it('0.4 % complaints over 1,000 delivered: the pass sends no tip, says how to lift it, and `guard release` lets the next pass send', async () => {
    await clear();
    await history(f.db, { delivered: 1000, complaints: 4, at: T - 10 * DAY, tag: 'a' });
    await f.readers(Array.from({ length: 3 }, (_, i) => ({ email: `due${i}@example.org`, nextSendAt: T })));

    const held = await f.send(T);
    expect(held.code).toBe(1);
    expect(held.stdout).toContain(
      'sent nothing: tip sends are paused since 2026-03-02T19:00:00.000Z: complaint rate 0.4 % (4 of 1,000 delivered) is at or above 0.3 %',
    );
    expect(held.stdout).toContain('newsletter guard release --reason "…"');
    expect(f.sink.received).toHaveLength(0);
    // Another pass an hour later is held too: the pause is in the database, not in a process.
    expect((await f.send(T + 3_600_000)).code).toBe(1);
    expect(f.sink.received).toHaveLength(0);

    const dry = await f.cli(['send', '--dry-run', '--at', new Date(T + 3_600_000).toISOString()], T + 3_600_000);
    expect(dry.stderr).toContain('no tip would go out: tip sends are paused since');
    const stats = await f.cli(['stats'], T + 3_600_000);
    expect(stats.stdout).toContain('  state            PAUSED since 2026-03-02T19:00:00.000Z');
    expect(stats.stderr).toContain('newsletter guard release --reason "…"');
    const status = await f.cli(['guard'], T + 3_600_000);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('  complaints       4  (0.40 %)');
    const json = JSON.parse((await f.cli(['guard', '--json'], T + 3_600_000)).stdout);
    expect(json).toMatchObject({ paused: true, delivered: 1000, complaints: 4, complaintRate: 0.004 });
    expect(JSON.parse((await f.cli(['stats', '--json'], T + 3_600_000)).stdout).guard).toMatchObject({
      paused: true,
      line: expect.stringContaining('newsletter guard release'),
    });

    const app = openApp({ cwd: f.tp.dir, env: metricsEnv(), now: () => new Date(T + 3_600_000) });
    try {
      const body = (await (await app.metrics())!.scrape()).body;
      expect(body).toMatch(/^newsletter_send_guard_paused 1$/m);
      expect(body).toMatch(/^newsletter_send_guard_rate\{kind="complaint"\} 0\.004$/m);
    } finally {
      await app.close();
    }

    expect((await f.cli(['guard', 'release'], T + 2 * 3_600_000)).code).toBe(2);
    const release = await f.cli(
      ['guard', 'release', '--reason', 'removed an old purchased segment'],
      T + 2 * 3_600_000,
    );
    expect(release.code).toBe(0);
    expect(release.stdout).toContain('reason recorded: "removed an old purchased segment"');
    const events = await f.db.selectFrom('guard_events').selectAll().orderBy('seq').execute();
    expect(events.map((e) => [Number(e.seq), e.kind])).toEqual([
      [1, 'paused'],
      [2, 'released'],
    ]);
    expect(events[1]!.reason).toBe('removed an old purchased segment');

    const sent = await f.send(T + 3 * 3_600_000);
    expect(sent.code).toBe(0);
    expect(f.sink.received).toHaveLength(3);
    // The complaints from before the release never pause again, though they are still within 30 days.
    expect((await f.cli(['guard'], T + 4 * 3_600_000)).code).toBe(0);
    const metricsAfter = openApp({ cwd: f.tp.dir, env: metricsEnv(), now: () => new Date(T + 4 * 3_600_000) });
    try {
      expect((await (await metricsAfter.metrics())!.scrape()).body).toMatch(/^newsletter_send_guard_paused 0$/m);
    } finally {
      await metricsAfter.close();
    }
  });

  it('after a release it pauses again only when what came after the release crosses a line', async () => {
    await clear();
    await history(f.db, { delivered: 1000, complaints: 5, at: T - 5 * DAY, tag: 'b' });
    await f.readers([{ email: 'later@example.org', nextSendAt: T + 3 * DAY }]);
    expect((await f.send(T)).code).toBe(1);
    expect((await f.cli(['guard', 'release', '--reason', 'checked the sign-up form'], T + DAY)).code).toBe(0);
    // 1,000 more delivered and 4 complaints, all after the release: that crosses on its own.
    await history(f.db, { delivered: 1000, complaints: 4, at: T + 2 * DAY, tag: 'c' });
    const again = await f.send(T + 3 * DAY);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('complaint rate 0.4 % (4 of 1,000 delivered)');
    expect(f.tipsOf('later@example.org')).toEqual([]);
  });

  it('fewer than 1,000 delivered in the window: 0.5 % complaints and 10 % hard bounces only warn, and the tips go out', async () => {
    await clear();
    await history(f.db, { delivered: 999, complaints: 5, hardBounces: 100, at: T - DAY, tag: 'd' });
    await f.readers([{ email: 'small@example.org', nextSendAt: T }]);
    const run = await f.send(T);
    expect(run.code).toBe(0);
    expect(f.tipsOf('small@example.org')).toHaveLength(1);
    expect(run.stderr).toContain('WARNING complaint and bounce guard: tip sends go on;');
    expect(run.stderr).toContain('fewer than 1,000 tips were delivered in the window, so it only warns');
    expect(await f.db.selectFrom('guard_events').selectAll().execute()).toEqual([]);
  });

  it('a 5 % hard-bounce rate over 1,000 delivered pauses too; old history outside the 30 days does not count', async () => {
    await clear();
    await history(f.db, { delivered: 2000, complaints: 50, at: T - 31 * DAY, tag: 'e' });
    await history(f.db, { delivered: 1000, hardBounces: 53, at: T - DAY, tag: 'f' });
    const run = await f.send(T);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('hard-bounce rate 5.3 % (53 of 1,000 sent) is at or above 5 %');
  });

  it('confirmations go out during a pause', async () => {
    await clear();
    await history(f.db, { delivered: 1000, complaints: 4, at: T - DAY, tag: 'g' });
    expect((await f.send(T)).code).toBe(1);
    const add = await f.cli(['subscribers', 'add', 'newcomer@example.org'], T + 60_000);
    expect(add.code).toBe(0);
    expect((await f.send(T + 120_000)).code).toBe(1);
    const toNewcomer = f.sink.received.filter((m) => m.envelopeTo.includes('newcomer@example.org'));
    expect(toNewcomer).toHaveLength(1);
    expect(toNewcomer[0]!.raw.toString()).toMatch(/confirm/i);
  });
});
