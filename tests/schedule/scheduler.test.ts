import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryPassFor, subscriptionsFor } from '../../src/app.ts';
import { resolveSecret } from '../../src/config.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import type { Project } from '../../src/render/project.ts';
import { startScheduler } from '../../src/schedule/scheduler.ts';
import type { Database } from '../../src/store/schema.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import type { Subscriptions } from '../../src/subscription/subscriptions.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { TempProject } from '../support/temp-project.ts';
import { insertSubscribers, openDeliveryFixture, type DeliveryFixture } from '../delivery/helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);

let sink: SmtpSink;
let tp: TempProject;
let db: Kysely<Database>;
let mailer: Mailer;
let project: Project;
let subscriptions: Subscriptions;
let fixture: DeliveryFixture;

beforeEach(async () => {
  sink = await startSmtpSink();
  fixture = await openDeliveryFixture(sink.url, 2);
  ({ tp, db, mailer, project } = fixture);
  subscriptions = await subscriptionsFor(tp.config, {
    store: createSubscriberStore(db),
    mailer,
    project,
    secret: resolveSecret(tp.config),
  });
});
/** The pass as `openApp` builds it, over the fixture's database and mailer. */
const passOf = () =>
  deliveryPassFor(tp.config, { db, mailer: async () => mailer, secret: () => resolveSecret(tp.config) });

afterEach(async () => {
  await fixture.close();
  await sink.close();
});

describe('the dispatch scheduler', () => {
  it('never runs two passes at once in one process: a tick during a pass is skipped', async () => {
    await insertSubscribers(db, [{ email: 'a@example.org', nextSendAt: T }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loads = 0;
    const log: string[] = [];
    // A cron expression that will not fire during the test: ticks are driven by hand.
    const scheduler = startScheduler({
      cron: '0 0 1 1 *',
      pass: await passOf(),
      subscriptions,
      log: (l) => log.push(l),
      now: () => new Date(T),
      loadProject: async () => (loads++, await gate, project),
    });
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
    await insertSubscribers(db, [
      { email: 'due@example.org', nextSendAt: before - 60_000 },
      { email: 'later@example.org', nextSendAt: before + 3_600_000 },
    ]);
    const log: string[] = [];
    const scheduler = startScheduler({
      cron: '* * * * * *',
      pass: await passOf(),
      subscriptions,
      loadProject: async () => project,
      log: (l) => log.push(l),
    });
    // Bounded wait for the first tick (one per second).
    for (let i = 0; i < 100 && sink.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['due@example.org']);
    const row = await db.selectFrom('deliveries').select(['state', 'created_at']).executeTakeFirstOrThrow();
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
    const scheduler = startScheduler({
      cron: '0 0 1 1 *',
      pass: await passOf(),
      subscriptions,
      log: (l) => log.push(l),
      now: () => new Date(T),
      loadProject: async () => {
        if (broken) throw new Error('content/series.yml:3: name is required');
        return project;
      },
    });
    expect(await scheduler.tick()).toBeUndefined();
    expect(log).toContain('[scheduler] pass failed: content/series.yml:3: name is required');
    broken = false;
    expect(await scheduler.tick()).toMatchObject({ sent: 0 });
    await scheduler.stop();
  });
});
