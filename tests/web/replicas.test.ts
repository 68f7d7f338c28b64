import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { linkIn, SECRET } from './harness.ts';

const TOKEN = 'metrics-token-for-the-replica-test';

interface Replica {
  url: string;
  /** Every stdout line so far, parsed (start writes JSON lines only). */
  lines(): Record<string, unknown>[];
  raw(): string;
  stop(): Promise<number | null>;
}

/** `newsletter start` in its own process and project folder, on PORT=0; resolves once it listens. */
async function startReplica(temp: TempProject, env: Record<string, string>): Promise<Replica> {
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start'], {
    cwd: temp.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed; stdout: ${out} stderr: ${err}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('[scheduler] dispatch pass on')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`exited early; stdout: ${out} stderr: ${err}`)));
  });
  return {
    url,
    raw: () => out,
    lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
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

const on = (replica: Replica, link: string) => {
  const u = new URL(link);
  return `${replica.url}${u.pathname}${u.search}`;
};

describeEachEngine('two site processes on one database', (engine) => {
  // Not migrated: both processes migrate at start, under the advisory lock.
  const t = useTestStore(engine, { migrate: false });
  let outbox: string;
  const temps: TempProject[] = [];
  let a: Replica;
  let b: Replica;

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
    const subscribed = await fetch(`${a.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    expect(subscribed.status).toBe(200);
    const confirmation = await mailIn(outbox, email, /confirm/i);
    expect((await fetch(on(b, linkIn(confirmation, 'confirm')), { method: 'POST' })).status).toBe(200);
    expect(await t.db.selectFrom('subscribers').select('status').where('email', '=', email).executeTakeFirst()).toEqual({ status: 'active' });

    const welcome = await mailIn(outbox, email, /welcome/i);
    const oneClick = await fetch(on(a, linkIn(welcome, 'unsubscribe')), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await t.db.selectFrom('subscribers').select('status').where('email', '=', email).executeTakeFirst()).toEqual({ status: 'unsubscribed' });

    // 10 sign-ups a minute per IP; one is used. Alternate the replicas: both count in one table.
    const answers: { replica: string; status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 12; i++) {
      const replica = i % 2 ? a : b;
      const res = await fetch(`${replica.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=flood${i}%40example.org` });
      answers.push({ replica: replica === a ? 'a' : 'b', status: res.status, retryAfter: res.headers.get('retry-after') });
    }
    expect(answers.map((r) => r.status)).toEqual([...Array(9).fill(200), 429, 429, 429]);
    const refused = answers.filter((r) => r.status === 429);
    expect(new Set(refused.map((r) => r.replica))).toEqual(new Set(['a', 'b']));
    for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(await t.db.selectFrom('subscribers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 10 });
  }, 60_000);

  it('serves /metrics only to the token; the database gauges agree on both replicas', async () => {
    expect((await fetch(`${b.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${b.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all!!' } })).status).toBe(401);
    const scrape = async (r: Replica) => {
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
    expect(all.find((l) => l.event === 'confirmed')).toMatchObject({ level: 'info', address: '***@example.org', msg: 'subscription confirmed' });
    expect(a.lines().find((l) => l.event === 'unsubscribed')).toMatchObject({ oneClick: true, address: '***@example.org' });
    for (const text of [a.raw(), b.raw()]) {
      expect(text).not.toMatch(/[a-z0-9-]+@example\.org/);
      expect(text).not.toContain('token=');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('both stop cleanly on SIGTERM', async () => {
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
  });
}, 'postgres');
