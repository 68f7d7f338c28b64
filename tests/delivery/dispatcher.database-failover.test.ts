import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine, POSTGRES_ADMIN_URL, useTestStore, type TestStore } from '../support/engines.ts';
import { newsletterProcess, until, type NewsletterProcess } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startProcess, type StartedProcess } from '../support/start-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers } from './helpers.ts';

const POOL = 3;
const SENDERS = 3;
const emails = (n: number) => Array.from({ length: n }, (_, i) => `reader${String(i).padStart(4, '0')}@example.org`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The application_name the processes under test connect with, so the test ends their backends and never its own. */
const UNDER_TEST = 'newsletter-under-test';

/** The database URL a process under test uses: it names itself, so terminateBackends finds it. */
function underTest(url: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', UNDER_TEST);
  return u.toString();
}

/**
 * Ends every connection the processes under test hold to the test's own database, as a failover
 * or a pooler restart does. Never another database's (the server is shared) and never the test's
 * own pool: a test whose own query is cut fails for the wrong reason.
 */
async function terminateBackends(t: TestStore): Promise<number> {
  if (t.database.kind !== 'postgres') throw new Error('a PostgreSQL test');
  const name = new URL(t.database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const r = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2',
      [name, UNDER_TEST],
    );
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** A raw stack trace or Node's report of an unhandled error: what an operator must never get. */
const RAW = /Unhandled 'error' event|^\s+at .+:\d+:\d+\)?$|^node:internal|Node\.js v\d+/m;

/** The readers' messages at the sink: recipient → Message-IDs. */
function byRecipient(sink: SmtpSink): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of sink.received)
    for (const to of m.envelopeTo) out.set(to, [...(out.get(to) ?? []), header(m, 'Message-ID')!]);
  return out;
}

/**
 * Issue 20, row 1: PostgreSQL backends terminated for a few seconds (a failover, a pooler
 * restart). Every sender died on an unhandled pg 'error' event (raw stack, exit 1), and so did
 * `send`. Now every pool and client has an error handler: a pass that loses its connection stops
 * with one line, the next tick goes on, and only the messages in flight at the drop can repeat.
 * The faults are real: a loopback TCP proxy the test cuts, stalls and resets, and
 * pg_terminate_backend.
 */
describeEachEngine(
  'the database connection lost under a running fleet',
  () => {
    const t = useTestStore({ name: 'postgres' });
    let sink: SmtpSink;
    let tp: TempProject;
    let proxy: TcpProxy;

    beforeAll(async () => {
      tp = await tempProject();
    });
    afterAll(() => tp.cleanup());
    beforeEach(async () => {
      sink = await startSmtpSink({ parse: false });
      proxy = await startTcpProxy({
        port: Number(new URL(POSTGRES_ADMIN_URL).port || 5432),
        host: new URL(POSTGRES_ADMIN_URL).hostname,
      });
      await t.db.deleteFrom('subscribers').execute();
      await t.db.deleteFrom('suppressions').execute();
    });
    afterEach(async () => {
      await proxy.close();
      await sink.close();
    });

    /** The environment of a process that reaches the database through the proxy (or directly). */
    const env = (through: 'proxy' | 'direct' = 'proxy', extra: Record<string, string> = {}) => {
      if (t.database.kind !== 'postgres') throw new Error('a PostgreSQL test');
      return {
        NEWSLETTER_DATABASE_URL: underTest(through === 'proxy' ? proxy.url(t.database.url) : t.database.url),
        NEWSLETTER_DATABASE_POOL: '3',
        NEWSLETTER_SMTP_URL: sink.url,
        NEWSLETTER_SMTP_POOL: String(POOL),
        ...extra,
      };
    };

    describe('three `start --role sender` and a site', () => {
      it('cut, reset and pg_terminate_backend mid-pass: nobody exits, each drop is one line, every reader gets the tip, repeats stay within the messages in flight', async () => {
        const READERS = 240;
        // A relay that takes a little time, so the passes are at work when the connection drops.
        sink.delayMs = 15;
        const due = Date.now() - 60_000;
        await insertSubscribers(
          t.db,
          emails(READERS).map((email) => ({ email, nextSendAt: due })),
        );
        const fleetEnv = env('proxy', { NEWSLETTER_CRON: '* * * * * *' });
        const senders: NewsletterProcess[] = Array.from({ length: SENDERS }, () =>
          newsletterProcess(tp.dir, ['start', '--role', 'sender'], fleetEnv, 400_000),
        );
        let site: StartedProcess | undefined;
        try {
          site = await startProcess(
            tp.dir,
            ['--role', 'site'],
            { ...fleetEnv, NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' },
            () => true,
            120_000,
          );
          const got = () => byRecipient(sink).size;
          // Waits for `check`, or stops at once when a process has died (the old code's failure).
          const alive = () => senders.every((s) => s.running());
          const waitFor = async (check: () => boolean | Promise<boolean>) => {
            expect(await until(async () => !alive() || (await check()), 120_000)).toBe(true);
            for (const s of senders) expect(s.running(), s.stderr()).toBe(true);
          };

          // 1. The proxy cuts every connection and refuses new ones for 3 seconds (a failover).
          await waitFor(() => got() >= READERS / 4);
          proxy.cut();
          const health = await fetch(`${site.url}/healthz`);
          expect(health.status).toBe(503);
          await sleep(3_000);
          proxy.restore();
          // 2. Every connection gets a TCP reset (a crashed host, a firewall).
          await waitFor(() => got() >= READERS / 2);
          proxy.reset();
          // 3. The server ends every backend of this database (pg_terminate_backend: a pooler restart, a fast shutdown).
          await waitFor(() => got() >= (3 * READERS) / 4);
          expect(await terminateBackends(t)).toBeGreaterThan(0);

          // The next ticks go on: every reader gets the tip, but those whose claim committed as the
          // connection dropped (the sender never heard it had them): they wait for the claim lease.
          const accountedFor = async () => {
            const claimed = await t.db
              .selectFrom('deliveries')
              .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
              .select('email')
              .where('state', '=', 'sending')
              .execute();
            return new Set([...byRecipient(sink).keys(), ...claimed.map((r) => r.email)]).size === READERS;
          };
          await waitFor(accountedFor);
          expect(await until(async () => (await fetch(`${site!.url}/healthz`)).status === 200, 10_000)).toBe(true);
          expect(site.out()).not.toMatch(RAW);
        } finally {
          for (const s of senders) s.child.kill('SIGTERM');
        }
        const exits = await Promise.all(senders.map((s) => s.done));
        const siteExit = await site?.stop();
        for (const e of exits) {
          expect(e.code, e.stderr).toBe(0);
          expect(e.stdout + e.stderr).not.toMatch(RAW);
        }
        expect(siteExit).toBe(0);
        // Each pass that lost the database said so, in one line of the service log.
        const messages = exits.flatMap((e) =>
          e.stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => String((JSON.parse(l) as { msg: unknown }).msg)),
        );
        const lost = messages.filter((m) => m.includes('connection to the database'));
        expect(lost.length).toBeGreaterThanOrEqual(SENDERS);
        for (const m of lost)
          expect(m).toMatch(/^\[scheduler\] (pass stopped early: )?lost the connection to the database \(.+\)/);

        // Only messages in flight at a drop were left unrecorded: at most each sender's pool, per drop.
        const unsettled = await t.db.selectFrom('deliveries').select('id').where('state', '=', 'sending').execute();
        expect(unsettled.length).toBeLessThanOrEqual(3 * SENDERS * POOL);
        // Past the claim lease a pass sends those again, with the same Message-ID; nothing else repeats.
        const later = await newsletterProcess(
          tp.dir,
          ['send', '--at', new Date(Date.now() + 15 * 60_000).toISOString()],
          env('direct'),
        ).done;
        expect(later.code, later.stderr).toBe(0);
        const received = byRecipient(sink);
        expect([...received.keys()].sort()).toEqual(emails(READERS));
        const repeated = [...received.values()].filter((ids) => ids.length > 1);
        expect(repeated.length).toBeLessThanOrEqual(unsettled.length);
        for (const ids of received.values()) expect(new Set(ids).size).toBe(1);
        const ledger = await t.db.selectFrom('deliveries').select('state').execute();
        expect(ledger).toHaveLength(READERS);
        expect(ledger.every((r) => r.state === 'sent')).toBe(true);
      }, 420_000);

      it('a stalled connection (no byte either way for 3 seconds): the sender waits it out and goes on', async () => {
        const READERS = 120;
        sink.delayMs = 15;
        await insertSubscribers(
          t.db,
          emails(READERS).map((email) => ({ email, nextSendAt: Date.now() - 60_000 })),
        );
        const sender = newsletterProcess(
          tp.dir,
          ['start', '--role', 'sender'],
          env('proxy', { NEWSLETTER_CRON: '* * * * * *' }),
          120_000,
        );
        try {
          expect(await until(() => sink.received.length >= READERS / 4, 60_000)).toBe(true);
          proxy.stall();
          await sleep(3_000);
          proxy.restore();
          expect(await until(() => byRecipient(sink).size === READERS, 60_000)).toBe(true);
          expect(sender.running(), sender.stderr()).toBe(true);
        } finally {
          sender.child.kill('SIGTERM');
        }
        const exit = await sender.done;
        expect(exit.code, exit.stderr).toBe(0);
        expect(exit.stdout + exit.stderr).not.toMatch(RAW);
        // Nothing was lost, so nothing repeats.
        expect(sink.received).toHaveLength(READERS);
      }, 150_000);
    });

    describe('newsletter send', () => {
      const send = () => newsletterProcess(tp.dir, ['send'], env());
      /** `newsletter send` over 200 due readers, slowed by the sink, once 30 have been sent. */
      const sendUntilMidPass = async () => {
        sink.delayMs = 15;
        await insertSubscribers(
          t.db,
          emails(200).map((email) => ({ email, nextSendAt: Date.now() - 60_000 })),
        );
        const pass = send();
        expect(await until(() => sink.received.length >= 30, 60_000)).toBe(true);
        return pass;
      };

      it('the connection cut mid-pass: exit 1 with one line that says the database was lost', async () => {
        const pass = await sendUntilMidPass();
        proxy.cut();
        const r = await pass.done;
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(RAW);
        expect(r.stderr.trim().split('\n')).toEqual([
          expect.stringMatching(/^Pass stopped early: lost the connection to the database \(.+\), so the pass stopped/),
        ]);
        expect(r.stdout).toMatch(/^sent \d+/m);
      });

      it('pg_terminate_backend mid-pass: exit 1 with one line', async () => {
        const pass = await sendUntilMidPass();
        // Until none is left: a backend the pool opens a moment later is ended too.
        for (let i = 0; i < 20 && pass.running(); i++) {
          await terminateBackends(t);
          await sleep(50);
        }
        const r = await pass.done;
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(RAW);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/lost the connection to the database|the database cannot be reached/);
      });

      it('a database that cannot be reached at all: exit 1 with one line, nothing sent', async () => {
        await insertSubscribers(
          t.db,
          emails(5).map((email) => ({ email, nextSendAt: Date.now() - 60_000 })),
        );
        proxy.cut();
        const r = await send().done;
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(RAW);
        expect(r.stderr.trim().split('\n')).toEqual([
          expect.stringMatching(
            /^the database cannot be reached \(.+\): nothing more was sent; check that it is running and that NEWSLETTER_DATABASE_URL points at it/,
          ),
        ]);
        expect(sink.received).toEqual([]);
      });
    });
  },
  'postgres',
);
