import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Database } from '../../src/store/schema.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { relayTo } from '../support/tcp-relay.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers, loadProject, openTestDatabase, pass } from './helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);
const POOL = 5;
const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

let sink: SmtpSink;
let tp: TempProject;
let db: Kysely<Database>;

beforeEach(async () => {
  // Raw messages only: parsing thousands would make the sink the slow part.
  sink = await startSmtpSink({ parse: false });
  tp = await tempProject({ NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_SMTP_POOL: String(POOL) });
  db = await openTestDatabase(tp.config);
});
afterEach(async () => {
  await db.destroy();
  await sink.close();
  await tp.cleanup();
});

/** `newsletter send --at …` in its own process, against the temp project's database and the sink. */
function sendProcess(
  at: number,
  smtpUrl = sink.url,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NEWSLETTER_')));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/newsletter.js'), 'send', '--at', new Date(at).toISOString()],
    {
      cwd: tp.dir,
      env: { ...env, NEWSLETTER_SECRET: SECRET, NEWSLETTER_SMTP_URL: smtpUrl, NEWSLETTER_SMTP_POOL: String(POOL) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Messages the sink got, per recipient: their Message-IDs. */
function byRecipient(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of sink.received) {
    const id = header(m, 'Message-ID')!;
    for (const to of m.envelopeTo) out.set(to, [...(out.get(to) ?? []), id]);
  }
  return out;
}

const emails = (n: number) => Array.from({ length: n }, (_, i) => `reader${String(i).padStart(5, '0')}@example.org`);

describe('the ledger across processes', () => {
  it('a pass SIGKILLed mid-way: the next pass sends the rest, no completed delivery is repeated', async () => {
    const all = emails(2000);
    await insertSubscribers(
      db,
      all.map((email) => ({ email, nextSendAt: T })),
    );
    const relay = await relayTo(sink.port);
    const { child, done } = sendProcess(T, relay.url);
    // Kill it once a good part has gone out (bounded: the child cannot take longer than the test).
    for (let i = 0; i < 3000 && sink.received.length < 400 && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    await relay.close();

    const atKill = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['email', 'state', 'message_id'])
      .execute();
    const completed = atKill.filter((r) => r.state === 'sent');
    const inFlight = atKill.filter((r) => r.state === 'sending');
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.length).toBeLessThan(2000);
    expect(inFlight.length).toBeLessThanOrEqual(POOL);

    // The next pass, after the grace period for claims left by a crash.
    const mailer = createMailer(tp.config);
    const project = await loadProject(tp.config);
    const summary = await pass(db, mailer, project, tp.config, T + 15 * 60_000);
    await mailer.close();
    expect(summary.aborted).toBeUndefined();
    expect(summary.sent).toBe(2000 - completed.length);

    const got = byRecipient();
    expect([...got.keys()].sort()).toEqual(all);
    for (const r of completed) expect(got.get(r.email)).toEqual([r.message_id]);
    const repeated = [...got.entries()].filter(([, ids]) => ids.length > 1);
    expect(repeated.length).toBeLessThanOrEqual(POOL);
    for (const [email, ids] of repeated) {
      // Only a delivery in flight at the kill goes out twice, and with the same Message-ID.
      expect(inFlight.map((r) => r.email)).toContain(email);
      expect(new Set(ids).size).toBe(1);
    }
    const ledger = await db.selectFrom('deliveries').select(['state']).execute();
    expect(ledger).toHaveLength(2000);
    expect(ledger.every((r) => r.state === 'sent')).toBe(true);
  }, 90_000);

  it('two passes at once in two processes: every reader gets the tip exactly once', async () => {
    const all = emails(1000);
    await insertSubscribers(
      db,
      all.map((email) => ({ email, nextSendAt: T })),
    );
    // A server that takes 20 ms a message keeps the pass going for seconds, far longer than
    // the two processes' start-up differs, so both are at work at once.
    sink.delayMs = 20;
    const a = sendProcess(T);
    const b = sendProcess(T);
    const [ra, rb] = await Promise.all([a.done, b.done]).finally(() => {
      sink.delayMs = 0;
    });
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);
    const sentBy = (out: string) => Number(/^sent ([\d,]+)/m.exec(out)?.[1]?.replace(/,/g, ''));
    // Both really worked at the same time, and between them sent each tip once.
    expect(sentBy(ra.stdout)).toBeGreaterThan(0);
    expect(sentBy(rb.stdout)).toBeGreaterThan(0);
    expect(sentBy(ra.stdout) + sentBy(rb.stdout)).toBe(1000);
    const got = byRecipient();
    expect(sink.received).toHaveLength(1000);
    expect([...got.keys()].sort()).toEqual(all);
    expect([...got.values()].every((ids) => ids.length === 1)).toBe(true);
  }, 90_000);
});
