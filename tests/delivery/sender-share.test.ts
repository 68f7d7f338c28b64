import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { describeEachEngine, useTestStore, type TestStore } from '../support/engines.ts';
import { relayTo } from '../support/tcp-relay.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers } from './helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);
const READERS = 3000;
const POOL = 4;
const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `newsletter send --at …` in its own process, on the test's PostgreSQL database. */
function sendProcess(
  tp: TempProject,
  t: TestStore,
  at: number,
  smtpUrl: string,
): { child: ChildProcess; done: Promise<Exit> } {
  if (t.database.kind !== 'postgres') throw new Error('a PostgreSQL test');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NEWSLETTER_')));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/newsletter.js'), 'send', '--at', new Date(at).toISOString()],
    {
      cwd: tp.dir,
      env: {
        ...env,
        NEWSLETTER_SECRET: SECRET,
        NEWSLETTER_SMTP_URL: smtpUrl,
        NEWSLETTER_SMTP_POOL: String(POOL),
        NEWSLETTER_DATABASE_URL: t.database.url,
        NEWSLETTER_DATABASE_POOL: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // However the pass goes, the test ends: a stuck child is killed.
  const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const done = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

const sentBy = (out: string) => Number(/^sent ([\d,]+)/m.exec(out)?.[1]?.replace(/,/g, ''));
const emails = (n: number) => Array.from({ length: n }, (_, i) => `reader${String(i).padStart(5, '0')}@example.org`);

/** Per recipient, the Message-IDs the sink got. */
function byRecipient(sink: SmtpSink): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of sink.received) {
    const id = header(m, 'Message-ID')!;
    for (const to of m.envelopeTo) out.set(to, [...(out.get(to) ?? []), id]);
  }
  return out;
}

/** Fresh sink, temp project and PostgreSQL database per block, with every reader due at T. */
function useSenders(): { sink: () => SmtpSink; tp: () => TempProject; t: TestStore } {
  let sink: SmtpSink;
  let tp: TempProject;
  const t = useTestStore({ name: 'postgres' });
  beforeAll(async () => {
    // Raw messages only: parsing thousands would make the sink the slow part. A server that
    // takes 15 ms a message keeps each pass going for seconds, so the three overlap.
    sink = await startSmtpSink({ parse: false });
    sink.delayMs = 15;
    tp = await tempProject();
    await insertSubscribers(
      t.db,
      emails(READERS).map((email) => ({ email, nextSendAt: T })),
    );
  });
  afterAll(async () => {
    await sink.close();
    await tp.cleanup();
  });
  return { sink: () => sink, tp: () => tp, t };
}

describeEachEngine(
  'three sender processes on one PostgreSQL database',
  () => {
    describe('started together', () => {
      const { sink, tp, t } = useSenders();

      it('every reader gets exactly one tip, each process sends some, no duplicates', async () => {
        const runs = await Promise.all([0, 1, 2].map(() => sendProcess(tp(), t, T, sink().url).done));
        for (const r of runs) expect(r.code, r.stderr).toBe(0);
        const sent = runs.map((r) => sentBy(r.stdout));
        for (const n of sent) expect(n).toBeGreaterThan(0);
        expect(sent.reduce((a, b) => a + b, 0)).toBe(READERS);

        const got = byRecipient(sink());
        expect(sink().received).toHaveLength(READERS);
        expect([...got.keys()].sort()).toEqual(emails(READERS));
        expect([...got.values()].filter((ids) => ids.length !== 1)).toEqual([]);
        expect(new Set(sink().received.map((m) => header(m, 'Message-ID'))).size).toBe(READERS);
        const ledger = await t.db.selectFrom('deliveries').select('state').execute();
        expect(ledger).toHaveLength(READERS);
        expect(ledger.every((r) => r.state === 'sent')).toBe(true);
        // Each pass left the registry as it ended.
        expect(await t.db.selectFrom('senders').selectAll().execute()).toEqual([]);
      }, 120_000);
    });

    describe('one SIGKILLed mid-pass', () => {
      const { sink, tp, t } = useSenders();

      it('the others finish the list; at most its in-flight messages repeat, with the same Message-ID; a pass after the lease sends the rest', async () => {
        // The victim talks to the sink through a relay that absorbs its reset sockets.
        const relay = await relayTo(sink().port);
        const victim = sendProcess(tp(), t, T, relay.url);
        const others = [0, 1].map(() => sendProcess(tp(), t, T, sink().url));
        // Killed once a good part has gone out, while all three are at work.
        for (let i = 0; i < 6000 && sink().received.length < READERS / 3 && victim.child.exitCode === null; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(victim.child.exitCode).toBeNull();
        victim.child.kill('SIGKILL');
        expect((await victim.done).signal).toBe('SIGKILL');
        await relay.close();

        const finished = await Promise.all(others.map((o) => o.done));
        for (const r of finished) expect(r.code, r.stderr).toBe(0);
        for (const r of finished) expect(sentBy(r.stdout)).toBeGreaterThan(0);

        // Only the victim's claims are left unsettled: no more than its pool.
        const afterFirst = await t.db
          .selectFrom('deliveries')
          .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
          .select(['email', 'state', 'message_id'])
          .execute();
        const inFlight = afterFirst.filter((r) => r.state === 'sending');
        expect(inFlight.length).toBeLessThanOrEqual(POOL);
        // Said by state first, so a row left in any other state shows which one (and its reader).
        expect(afterFirst.filter((r) => r.state !== 'sent' && r.state !== 'sending')).toEqual([]);
        expect(afterFirst.filter((r) => r.state === 'sent')).toHaveLength(READERS - inFlight.length);
        expect(afterFirst).toHaveLength(READERS);

        // Within the lease nothing is taken back; after it (STALE_CLAIM_MS, 10 minutes) it is.
        sink().delayMs = 0;
        const early = await sendProcess(tp(), t, T + 5 * 60_000, sink().url).done;
        expect(sentBy(early.stdout), early.stderr).toBe(0);
        const later = await sendProcess(tp(), t, T + 15 * 60_000, sink().url).done;
        expect(later.code, later.stderr).toBe(0);
        expect(sentBy(later.stdout)).toBe(inFlight.length);

        const got = byRecipient(sink());
        expect([...got.keys()].sort()).toEqual(emails(READERS));
        const repeated = [...got.entries()].filter(([, ids]) => ids.length > 1);
        expect(repeated.length).toBeLessThanOrEqual(POOL);
        for (const [email, ids] of repeated) {
          expect(inFlight.map((r) => r.email)).toContain(email);
          expect(new Set(ids).size).toBe(1);
        }
        for (const r of afterFirst.filter((r) => r.state === 'sent')) expect(got.get(r.email)).toEqual([r.message_id]);
        const ledger = await t.db.selectFrom('deliveries').select('state').execute();
        expect(ledger.every((r) => r.state === 'sent')).toBe(true);
      }, 150_000);
    });
  },
  'postgres',
);
