import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryPassFor, subscriptionsFor } from '../../src/app.ts';
import { resolveSecret } from '../../src/config.ts';
import type { Project } from '../../src/render/project.ts';
import { startScheduler } from '../../src/schedule/scheduler.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import type { Subscriptions } from '../../src/subscription/subscriptions.ts';
import { insertSubscribers, useDeliveryFixture } from '../delivery/helpers.ts';
import { useSmtpSink } from '../support/use-resource.ts';

const T = Date.UTC(2026, 2, 1, 19);

const sink = useSmtpSink();
const f = useDeliveryFixture(sink, 2);
let subscriptions: Subscriptions;

beforeEach(async () => {
  subscriptions = await subscriptionsFor(f.tp.config, {
    store: createSubscriberStore(f.db),
    mailer: f.mailer,
    project: f.project,
    secret: resolveSecret(f.tp.config),
  });
});
/** The pass as `openApp` builds it, over the fixture's database and mailer. */
const passOf = () =>
  deliveryPassFor(f.tp.config, { db: f.db, mailer: async () => f.mailer, secret: () => resolveSecret(f.tp.config) });
/** A scheduler whose cron expression will not fire during the test (ticks are driven by hand), logging to `log`. */
const handDriven = async (log: string[], loadProject: () => Promise<Project>) =>
  startScheduler({
    cron: '0 0 1 1 *',
    pass: await passOf(),
    subscriptions,
    log: (l) => log.push(l),
    now: () => new Date(T),
    loadProject,
  });

describe('the dispatch scheduler', () => {
  it('never runs two passes at once in one process: a tick during a pass is skipped', async () => {
    await insertSubscribers(f.db, [{ email: 'a@example.org', nextSendAt: T }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loads = 0;
    const log: string[] = [];
    const scheduler = await handDriven(log, async () => (loads++, await gate, f.project));
    const first = scheduler.tick();
    const second = await scheduler.tick();
    expect(second).toBeUndefined();
    expect(log).toContain('[scheduler] the previous pass is still running; this tick is skipped');
    // The tick's chores (the system email queue) run first, then the pass loads the project.
    for (let i = 0; i < 200 && loads < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(loads).toBe(1);
    release();
    expect(await first).toMatchObject({ sent: 1 });
    // Once it is done, the next tick runs again (and finds nobody due).
    expect(await scheduler.tick()).toMatchObject({ sent: 0 });
    expect(loads).toBe(2);
    await scheduler.stop();
    expect(sink.received).toHaveLength(1);
    expect(log.some((l) => l.startsWith('[scheduler] pass at 2026-03-01T19:00:00.000Z: sent 1'))).toBe(true);
  });

  it('runs a pass on the cron schedule with the real clock, and stop() waits for it', async () => {
    const before = Date.now();
    await insertSubscribers(f.db, [
      { email: 'due@example.org', nextSendAt: before - 60_000 },
      { email: 'later@example.org', nextSendAt: before + 3_600_000 },
    ]);
    const log: string[] = [];
    const scheduler = startScheduler({
      cron: '* * * * * *',
      pass: await passOf(),
      subscriptions,
      loadProject: async () => f.project,
      log: (l) => log.push(l),
    });
    // Bounded wait for the first tick (one per second).
    for (let i = 0; i < 100 && sink.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['due@example.org']);
    const row = await f.db.selectFrom('deliveries').select(['state', 'created_at']).executeTakeFirstOrThrow();
    expect(row.state).toBe('sent');
    // Stamped by the real clock, not a simulated one.
    expect(row.created_at).toBeGreaterThanOrEqual(before);
    expect(row.created_at).toBeLessThanOrEqual(Date.now());
    // After stop, no tick runs.
    expect(await scheduler.tick()).toBeUndefined();
  });

  it('a broken project does not stop the schedule: the tick logs why and the next one tries again', async () => {
    const log: string[] = [];
    let broken = true;
    const scheduler = await handDriven(log, async () => {
      if (broken) throw new Error('content/series.yml:3: name is required');
      return f.project;
    });
    expect(await scheduler.tick()).toBeUndefined();
    expect(log).toContain('[scheduler] pass failed: content/series.yml:3: name is required');
    broken = false;
    expect(await scheduler.tick()).toMatchObject({ sent: 0 });
    await scheduler.stop();
  });

  it('a pause of the complaint guard is said once per pass in the log, with the command that lifts it; no tip goes out', async () => {
    await insertSubscribers(f.db, [{ email: 'held@example.org', nextSendAt: T - 60_000 }]);
    await f.db
      .insertInto('guard_events')
      .values({
        seq: 1,
        kind: 'paused',
        at: T - 3_600_000,
        reason: 'complaint rate 0.4 % (4 of 1,000 delivered) is at or above 0.3 %',
      })
      .execute();
    const log: string[] = [];
    const scheduler = await handDriven(log, async () => f.project);
    try {
      expect((await scheduler.tick())?.guard?.paused).toBe(true);
      expect((await scheduler.tick())?.sent).toBe(0);
    } finally {
      await scheduler.stop();
      await f.db.deleteFrom('guard_events').execute();
    }
    const said = log.filter((l) => l.includes('tip sends are paused'));
    expect(said).toHaveLength(2);
    expect(said[0]).toBe(
      '[scheduler] tip sends are paused since 2026-03-01T18:00:00.000Z: complaint rate 0.4 % (4 of 1,000 delivered) is at or above 0.3 %. Confirmations, welcomes and unsubscribes still go out. Find out why (newsletter stats), then lift it with newsletter guard release --reason "…"',
    );
    expect(sink.received.filter((m) => m.envelopeTo.includes('held@example.org'))).toHaveLength(0);
  });
});
