import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createThreadedSmtpMailer } from '../../src/mailer/threaded-smtp-mailer.ts';
import { startScheduler, type Scheduler } from '../../src/schedule/scheduler.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import type { ReceivedMail } from '../support/smtp-sink.ts';
import { form, linkIn, onSite, startHarness, type Harness } from '../web/harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The relay's address, switched off and on: while down nothing listens on its port (connection
 * refused, as when the relay host is down or restarting); while up it forwards to the sink.
 */
async function switchableRelay(): Promise<{
  url: string;
  target: { port: number };
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}> {
  const target = { port: 0 };
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(target.port, '127.0.0.1');
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('error', () => undefined);
          sock.on('close', () => sockets.delete(sock));
        }
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  server = await listen(0);
  const port = (server.address() as AddressInfo).port;
  const down = async () => {
    if (!server) return;
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    target,
    down,
    async up() {
      server ??= await listen(port);
    },
    close: down,
  };
}

/**
 * Issue 20, row 4: a sign-up while the mail server is down. The confirmation is queued durably
 * with the sign-up, every scheduler tick tries it (an outage of any length spends none of its
 * attempts), and it arrives at the first or second tick after the relay is back. Ticks are the
 * real scheduler's passes (`startScheduler(...).tick()`, its cron set to once a year so only the
 * test ticks), with the time passed in through the harness's clock, so hours of outage take no
 * time and each tick is one whole pass plus its chores, as `newsletter start` runs them.
 */
describeEachEngine('a sign-up while the mail server is down', (engine) => {
  const t = useTestStore(engine);
  let h: Harness;
  let relay: Awaited<ReturnType<typeof switchableRelay>>;
  let scheduler: Scheduler;
  const schedulerLog: string[] = [];

  beforeAll(async () => {
    relay = await switchableRelay();
    h = await startHarness({
      env: {
        NEWSLETTER_DATABASE_URL: t.url,
        NEWSLETTER_CRON: '0 0 1 1 *',
      },
      mailer: (sink) => {
        relay.target.port = sink.port;
        // The production SMTP pool (in its worker thread), pointed at the relay's address.
        return createThreadedSmtpMailer({ url: relay.url, pool: 1 });
      },
    });
    scheduler = startScheduler({
      cron: h.app.config.cron,
      pass: await h.app.deliveryPass(),
      subscriptions: h.subscriptions,
      loadProject: () => h.app.project({ reload: true }),
      now: h.clock.now,
      log: (line) => schedulerLog.push(line),
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await h?.close();
    await relay?.close();
  });

  const to = (email: string): ReceivedMail[] => h.sink.received.filter((m) => m.envelopeTo.includes(email));
  /** One scheduler tick, `ms` after the last. */
  async function tick(ms: number): Promise<void> {
    h.clock.advance(ms);
    await scheduler.tick();
  }

  it('"Check your inbox", then the confirmation arrives within two ticks of the relay coming back, however long it was down', async () => {
    const email = 'patient@reader-mail.example';
    await relay.down();
    const answer = await form(`${h.url}/subscribe`, { email, name: 'Pat' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Check your inbox');
    await h.site.idle();
    expect(to(email)).toHaveLength(0);

    // A long outage: ticks every 15 minutes, then hourly, for six hours. Nothing goes, nothing is lost.
    for (let i = 0; i < 4; i++) await tick(15 * MINUTE);
    for (let i = 0; i < 5; i++) await tick(HOUR);
    expect(to(email)).toHaveLength(0);

    await relay.up();
    for (let ticks = 0; ticks < 2 && to(email).length === 0; ticks++) await tick(15 * MINUTE);
    const [confirmation] = to(email);
    expect(confirmation?.parsed.subject).toBe('Please confirm: Night Cramp Weekly');
    // Each tick of the outage said so, in one line.
    expect(
      schedulerLog.some((l) =>
        /confirmation, welcome and goodbye emails: .*the mail server failed .*the rest wait for the next tick/.test(l),
      ),
    ).toBe(true);

    // The one it queued at the sign-up, sent once; the outage spent none of its attempts.
    const s = (await h.subscriber(email))!;
    const rows = await t.db
      .selectFrom('system_emails')
      .select(['kind', 'state', 'attempts', 'message_id', 'created_at'])
      .where('subscriber_id', '=', s.id)
      .execute();
    expect(rows).toEqual([
      {
        kind: 'confirm',
        state: 'sent',
        attempts: 0,
        message_id: confirmation!.parsed.messageId,
        created_at: s.createdAt,
      },
    ]);
    await tick(15 * MINUTE);
    expect(to(email)).toHaveLength(1);

    // Its link was signed at the sign-up and works (7 days from then).
    const confirmed = await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect((await h.subscriber(email))!.status).toBe('active');
    await h.site.idle();
    expect(to(email).map((m) => m.parsed.subject)).toEqual([
      'Please confirm: Night Cramp Weekly',
      'Welcome to Night Cramp Weekly',
    ]);
  });

  it('the welcome goes through the same queue: confirmed while the relay is down, welcomed at the first tick after, before the first tip', async () => {
    const email = 'welcome-later@reader-mail.example';
    await form(`${h.url}/subscribe`, { email });
    await h.site.idle();
    const [confirmation] = to(email);
    expect(confirmation).toBeDefined();
    await relay.down();
    expect((await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' })).status).toBe(200);
    await h.site.idle();
    await tick(15 * MINUTE);
    await tick(3 * HOUR);
    expect(to(email)).toHaveLength(1);
    await relay.up();
    for (let ticks = 0; ticks < 2 && to(email).length === 1; ticks++) await tick(15 * MINUTE);
    // The reader's first tip fell due during the outage too: it follows the welcome, never precedes it.
    expect(
      to(email)
        .map((m) => m.parsed.subject)
        .slice(0, 2),
    ).toEqual(['Please confirm: Night Cramp Weekly', 'Welcome to Night Cramp Weekly']);
    expect(
      to(email)
        .slice(2)
        .map((m) => m.parsed.subject),
    ).toEqual([[...h.project.tips].filter((tip) => !tip.draft).sort((a, b) => a.week - b.week)[0]!.subject]);
  });

  it('a confirmation still unsent when its link would expire (7 days) is given up, never sent; signing up again sends a fresh one', async () => {
    const email = 'too-late@reader-mail.example';
    await relay.down();
    expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
    await h.site.idle();
    await tick(DAY);
    await tick(6 * DAY + MINUTE);
    expect(schedulerLog.some((l) => l.includes('1 confirm expired unsent'))).toBe(true);
    await relay.up();
    await tick(15 * MINUTE);
    expect(to(email)).toHaveLength(0);
    const s = (await h.subscriber(email))!;
    expect(s.status).toBe('pending');
    expect(
      (await t.db.selectFrom('system_emails').select('state').where('subscriber_id', '=', s.id).execute()).map(
        (r) => r.state,
      ),
    ).toEqual(['expired']);

    expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
    await h.site.idle();
    const [fresh] = to(email);
    expect(fresh?.parsed.subject).toBe('Please confirm: Night Cramp Weekly');
    expect((await fetch(onSite(h, linkIn(fresh!.parsed, 'confirm')), { method: 'POST' })).status).toBe(200);
  });
});
