import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { startProcess, type StartedProcess } from '../support/start-process.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { linkIn, SECRET } from './harness.ts';

const TOKEN = 'metrics-token-for-the-replica-test';

/** `newsletter start` in its own process and project folder; resolves once it listens and its scheduler runs. */
async function startReplica(temp: TempProject, env: Record<string, string>): Promise<StartedProcess> {
  return startProcess(temp.dir, [], env, (out) => out.includes('[scheduler] dispatch pass on'));
}

/** Waits for the outbox message to `to` whose subject matches. */
async function mailIn(outbox: string, to: string, subject: RegExp): Promise<ParsedMail> {
  for (let i = 0; i < 200; i++) {
    for (const f of (await readdir(outbox).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'))) {
      const mail = await simpleParser(await readFile(path.join(outbox, f)));
      const addresses = [mail.to].flat().flatMap((a) => a?.value.map((v) => v.address) ?? []);
      if (addresses.includes(to) && subject.test(mail.subject ?? '')) return mail;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message to ${to} matching ${subject} in ${outbox}`);
}

const on = (replica: StartedProcess, link: string) => {
  const u = new URL(link);
  return `${replica.url}${u.pathname}${u.search}`;
};

describeEachEngine(
  'two site processes on one database',
  (engine) => {
    // Not migrated: both processes migrate at start, under the advisory lock.
    const t = useTestStore(engine, { migrate: false });
    let outbox: string;
    const temps: TempProject[] = [];
    let a: StartedProcess;
    let b: StartedProcess;

    beforeAll(async () => {
      outbox = await mkdtemp(path.join(tmpdir(), 'ncw-outbox-'));
      temps.push(await tempProject(), await tempProject());
      const env = {
        NEWSLETTER_SECRET: SECRET,
        NEWSLETTER_DATABASE_URL: t.database.kind === 'postgres' ? t.database.url : '',
        NEWSLETTER_DATABASE_POOL: '3',
        NEWSLETTER_OUTBOX_DIR: outbox,
        // Passes stay out of the way: once a year, at midnight on New Year's Day.
        NEWSLETTER_CRON: '0 0 1 1 *',
        NEWSLETTER_METRICS_TOKEN: TOKEN,
      };
      [a, b] = await Promise.all([startReplica(temps[0]!, env), startReplica(temps[1]!, env)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await Promise.all(temps.map((tp) => tp.cleanup()));
      await rm(outbox, { recursive: true, force: true });
    });

    it('subscribe on one, confirm on the other, one-click unsubscribe on the first; the flood limit holds across both', async () => {
      const email = 'replica-reader@example.org';
      const subscribed = await fetch(`${a.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(subscribed.status).toBe(200);
      const confirmation = await mailIn(outbox, email, /confirm/i);
      expect((await fetch(on(b, linkIn(confirmation, 'confirm')), { method: 'POST' })).status).toBe(200);
      expect(
        await t.db.selectFrom('subscribers').select('status').where('email', '=', email).executeTakeFirst(),
      ).toEqual({ status: 'active' });

      const welcome = await mailIn(outbox, email, /welcome/i);
      const oneClick = await fetch(on(a, linkIn(welcome, 'unsubscribe')), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);
      expect(
        await t.db.selectFrom('subscribers').select('status').where('email', '=', email).executeTakeFirst(),
      ).toEqual({ status: 'unsubscribed' });

      // 10 sign-ups a minute per IP; one is used. Alternate the replicas: both count in one table.
      const answers: { replica: string; status: number; retryAfter: string | null }[] = [];
      for (let i = 0; i < 12; i++) {
        const replica = i % 2 ? a : b;
        const res = await fetch(`${replica.url}/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `email=flood${i}%40example.org`,
        });
        answers.push({
          replica: replica === a ? 'a' : 'b',
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
        });
      }
      expect(answers.map((r) => r.status)).toEqual([...Array(9).fill(200), 429, 429, 429]);
      const refused = answers.filter((r) => r.status === 429);
      expect(new Set(refused.map((r) => r.replica))).toEqual(new Set(['a', 'b']));
      for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(
        await t.db
          .selectFrom('subscribers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ).toEqual({ n: 10 });
    }, 60_000);

    it('serves /metrics only to the token; the database gauges agree on both replicas', async () => {
      expect((await fetch(`${b.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${b.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all!!' } })).status,
      ).toBe(401);
      const scrape = async (r: StartedProcess) => {
        const res = await fetch(`${r.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return res.text();
      };
      const [fromA, fromB] = await Promise.all([scrape(a), scrape(b)]);
      for (const text of [fromA, fromB]) {
        expect(text).toContain('newsletter_subscribers{status="unsubscribed"} 1');
        expect(text).toContain('newsletter_subscribers{status="pending"} 9');
        expect(text).toContain('newsletter_deliveries{state="sent"} 0');
        expect(text).toContain('newsletter_retry_queue_depth 0');
        expect(text).toContain('newsletter_oldest_due_lateness_seconds 0');
        expect(text).toContain('newsletter_messages_total{outcome="sent"} 0');
      }
    });

    it('logs JSON lines only, one per subscription event, with no address, token or secret', async () => {
      const all = [...a.lines(), ...b.lines()];
      expect(all.filter((l) => l.event === 'subscribe').length).toBe(10);
      expect(all.find((l) => l.event === 'confirmed')).toMatchObject({
        level: 'info',
        address: '***@example.org',
        msg: 'subscription confirmed',
      });
      expect(a.lines().find((l) => l.event === 'unsubscribed')).toMatchObject({
        oneClick: true,
        address: '***@example.org',
      });
      for (const text of [a.out(), b.out()]) {
        expect(text).not.toMatch(/[a-z0-9-]+@example\.org/);
        expect(text).not.toContain('token=');
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(TOKEN);
      }
    });

    it('both stop cleanly on SIGTERM', async () => {
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    });
  },
  'postgres',
);
