import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { databaseUrl, newsletterProcess, until } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers } from '../delivery/helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);
const READERS = 60;
const POOL = 3;
const emails = Array.from({ length: READERS }, (_, i) => `reader${String(i).padStart(3, '0')}@example.org`);

/**
 * Issue 20, row 15: cron and systemd timers stop a `newsletter send` with SIGTERM. It used to die
 * at once (exit 143, no summary), leaving its messages in flight claimed but unrecorded, so
 * those readers got their tip again once the claim lease ran out.
 */
describeEachEngine('SIGTERM to newsletter send mid-pass', (engine) => {
  const t = useTestStore(engine);
  let sink: SmtpSink;
  let tp: TempProject;

  beforeAll(async () => {
    sink = await startSmtpSink({ parse: false });
    // A relay that takes its time, so the pass is still going when the signal comes.
    sink.delayMs = 150;
    tp = await tempProject();
    await insertSubscribers(
      t.db,
      emails.map((email) => ({ email, nextSendAt: T })),
    );
  });
  afterAll(async () => {
    await sink.close();
    await tp.cleanup();
  });

  const send = (at: number) =>
    newsletterProcess(tp.dir, ['send', '--at', new Date(at).toISOString()], {
      NEWSLETTER_DATABASE_URL: databaseUrl(t.database),
      NEWSLETTER_SMTP_URL: sink.url,
      NEWSLETTER_SMTP_POOL: String(POOL),
    });

  it('finishes the messages in flight, claims nothing new, prints the summary and exits 0; nobody gets a tip twice', async () => {
    const pass = send(T);
    expect(await until(() => sink.received.length >= 2 * POOL)).toBe(true);
    pass.child.kill('SIGTERM');
    const stopped = await pass.done;

    expect(stopped.signal, stopped.stderr).toBeNull();
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toContain('SIGTERM: finishing the messages in flight');
    expect(stopped.stderr).toMatch(
      /Stopped by SIGTERM: the messages in flight were finished and recorded, nothing new was claimed/,
    );
    const sent = Number(/^sent (\d+),/m.exec(stopped.stdout)?.[1]);
    // It stopped part-way: some readers are still due.
    expect(sent).toBeLessThan(READERS);

    // What the relay took is exactly what the ledger says was sent; nothing is left claimed.
    const ledger = await t.db.selectFrom('deliveries').select(['state']).execute();
    expect(ledger.filter((r) => r.state === 'sending')).toEqual([]);
    expect(ledger.filter((r) => r.state === 'sent')).toHaveLength(sink.received.length);
    expect(sent).toBe(sink.received.length);

    // Half an hour later (past the claim lease) the next pass sends the rest, and only the rest.
    sink.delayMs = 0;
    const next = await send(T + 30 * 60_000).done;
    expect(next.code, next.stderr).toBe(0);
    expect(Number(/^sent (\d+),/m.exec(next.stdout)?.[1])).toBe(READERS - sent);
    const got = sink.received.flatMap((m) => m.envelopeTo);
    expect(got.sort()).toEqual(emails);
    expect(new Set(sink.received.map((m) => header(m, 'Message-ID'))).size).toBe(READERS);
  }, 90_000);
});
