import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { GIVE_UP_AFTER_MS } from '../../src/delivery/retry-policy.ts';
import { DAY, HOUR, header, insertSubscribers, pass, useDeliveryFixture } from './helpers.ts';
import { useSmtpSink } from '../support/use-resource.ts';

const T = Date.UTC(2026, 2, 1, 19);
const MIN = 60_000;

const sink = useSmtpSink();
const f = useDeliveryFixture(sink, 3);

const deliveryOf = (email: string) =>
  f.db
    .selectFrom('deliveries')
    .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
    .selectAll('deliveries')
    .where('subscribers.email', '=', email)
    .orderBy('deliveries.id')
    .execute();
const attemptsOf = (deliveryId: number) =>
  f.db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute();
const receivedBy = (email: string) => sink.received.filter((m) => m.envelopeTo.includes(email));

describe('SMTP failures', () => {
  it('450 greylisting is retried with growing delays for 72 hours, then failed and reported; 550 bounces the reader; others go out', async () => {
    await insertSubscribers(f.db, [
      { email: 'ok@example.org', nextSendAt: T },
      { email: 'greylisted@example.org', nextSendAt: T },
      { email: 'full@example.org', nextSendAt: T },
      { email: 'gone@example.org', nextSendAt: T },
      { email: 'ok2@example.org', nextSendAt: T },
    ]);
    let fullUntil = Infinity;
    let greylistUntil = T + 1;
    sink.setRule((a) => {
      if (a === 'gone@example.org') return { code: 550, message: '5.1.1 no such user' };
      if (a === 'full@example.org' && Date.now() < fullUntil) return { code: 452, message: '4.2.2 mailbox full' };
      // Postgrey's own words: 4.2.0 is about the reader's mailbox (4.7.x would be about the sender).
      if (a === 'greylisted@example.org' && greylistUntil > T)
        return {
          code: 450,
          message: '4.2.0 Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/',
        };
      return undefined;
    });

    const first = await pass(f.db, f.mailer, f.project, f.tp.config, T);
    expect(first).toMatchObject({ sent: 2, retried: 2, bounced: 1, failed: 0 });
    expect(first.aborted).toBeUndefined();
    expect(first.problems).toEqual([
      expect.objectContaining({
        email: 'gone@example.org',
        outcome: 'bounced',
        response: expect.stringContaining('550'),
      }),
    ]);

    // The bounce: the delivery, the reader and the suppression list.
    const [bounced] = await deliveryOf('gone@example.org');
    expect(bounced!.state).toBe('bounced');
    expect((await attemptsOf(bounced!.id))[0]).toMatchObject({
      outcome: 'permanent',
      response: expect.stringContaining('no such user'),
    });
    const gone = await f.db
      .selectFrom('subscribers')
      .selectAll()
      .where('email', '=', 'gone@example.org')
      .executeTakeFirstOrThrow();
    expect(gone).toMatchObject({ status: 'bounced', next_send_at: null });
    const suppression = await f.db.selectFrom('suppressions').selectAll().executeTakeFirstOrThrow();
    expect(suppression).toMatchObject({ email_hash: addressHash('gone@example.org'), reason: 'bounced' });
    expect(suppression.email_hash).toMatch(/^[0-9a-f]{64}$/);

    // The greylisted one: retry in 15 minutes, with the SMTP answer recorded.
    const [grey] = await deliveryOf('greylisted@example.org');
    expect(grey).toMatchObject({ state: 'retry', attempts: 1, next_attempt_at: T + 15 * MIN });
    expect((await attemptsOf(grey!.id))[0]).toMatchObject({
      outcome: 'temporary',
      response: expect.stringContaining('450 4.2.0'),
    });

    // Not due yet ten minutes later; at fifteen the greylisting is over and it goes out once.
    expect(await pass(f.db, f.mailer, f.project, f.tp.config, T + 10 * MIN)).toMatchObject({ sent: 0, retried: 0 });
    greylistUntil = 0;
    const second = await pass(f.db, f.mailer, f.project, f.tp.config, T + 15 * MIN);
    expect(second).toMatchObject({ sent: 1, retried: 1 });
    expect((await deliveryOf('greylisted@example.org'))[0]).toMatchObject({
      state: 'sent',
      attempts: 2,
      message_id: grey!.message_id,
    });
    expect(receivedBy('greylisted@example.org').map((m) => m.parsed.messageId)).toEqual([grey!.message_id]);

    // The full mailbox (tried at T and again by the pass at T+15 min): every later attempt at
    // its due time until 72 hours have passed.
    const times: number[] = [T, T + 15 * MIN];
    let last = second;
    for (let i = 0; i < 20; i++) {
      const [row] = await deliveryOf('full@example.org');
      if (row!.state !== 'retry') break;
      times.push(row!.next_attempt_at!);
      last = await pass(f.db, f.mailer, f.project, f.tp.config, row!.next_attempt_at!);
    }
    const [full] = await deliveryOf('full@example.org');
    expect(full!.state).toBe('failed');
    expect(last.failed).toBe(1);
    expect(last.problems).toEqual([
      expect.objectContaining({
        email: 'full@example.org',
        outcome: 'failed',
        response: expect.stringContaining('72 hours'),
      }),
    ]);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 5)).toEqual([15 * MIN, HOUR, 4 * HOUR, 12 * HOUR, 24 * HOUR]);
    expect(times[times.length - 1]).toBe(T + GIVE_UP_AFTER_MS);
    expect(await attemptsOf(full!.id)).toHaveLength(times.length);
    expect(receivedBy('full@example.org')).toEqual([]);

    // A week on: the bounced reader gets nothing; the others get their next tip.
    fullUntil = 0;
    const nextWeek = await pass(f.db, f.mailer, f.project, f.tp.config, T + 7 * DAY);
    expect(nextWeek.sent).toBe(4);
    expect(receivedBy('gone@example.org')).toEqual([]);
    // The failed tip was never had: at the reader's next slot it comes again, in its place (the
    // same ledger row, taken up anew), not the next tip.
    expect((await deliveryOf('full@example.org')).map((d) => [d.tip_slug, d.state, d.attempts])).toEqual([
      [full!.tip_slug, 'sent', 1],
    ]);
    expect(receivedBy('full@example.org').map((m) => header(m, 'X-Newsletter-Tip'))).toEqual([full!.tip_slug]);
  });

  it("a dropped connection is the relay's temporary failure: the pass goes on, the reader's retries are not used, and the next pass delivers it", async () => {
    const emails = Array.from({ length: 12 }, (_, i) => `reader${i}@example.org`);
    await insertSubscribers(
      f.db,
      emails.map((email) => ({ email, nextSendAt: T })),
    );
    sink.dropNext(1);
    const first = await pass(f.db, f.mailer, f.project, f.tp.config, T);
    expect(first.aborted).toBeUndefined();
    expect(first.retried).toBeGreaterThanOrEqual(1);
    expect(first.handedBack).toBe(first.retried);
    expect(first.sent + first.retried).toBe(12);
    expect(sink.received).toHaveLength(first.sent);
    const retries = await f.db.selectFrom('deliveries').selectAll().where('state', '=', 'retry').execute();
    expect(retries).toHaveLength(first.retried);
    // Which error a dropped socket gives depends on timing: nodemailer's "Connection closed"
    // (ECONNECTION) or the kernel's reset (ESOCKET: read ECONNRESET). Both are the relay's: the
    // delivery is back as before its claim (no attempt counted, nothing recorded against the reader).
    for (const r of retries) {
      expect(r).toMatchObject({
        attempts: 0,
        next_attempt_at: T,
        last_response: expect.stringMatching(/^(ECONNECTION|ESOCKET)\b.*(closed|ECONNRESET)/i),
      });
      expect(await attemptsOf(r.id)).toEqual([]);
    }

    const second = await pass(f.db, f.mailer, f.project, f.tp.config, T + 15 * MIN);
    expect(second.sent).toBe(first.retried);
    const got = sink.received.map((m) => m.envelopeTo[0]).sort();
    expect(got).toEqual([...emails].sort());
  });

  it('an SMTP server that is down ends the pass with a clear message; nothing is marked sent', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await insertSubscribers(
      f.db,
      Array.from({ length: 30 }, (_, i) => ({ email: `r${i}@example.org`, nextSendAt: T })),
    );

    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {
        NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
        NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${port}`,
        NEWSLETTER_SMTP_POOL: '2',
      },
      cwd: f.tp.dir,
      now: () => new Date(T),
      isTty: false,
    };
    const code = await main(['send', '--at', new Date(T).toISOString()], io);
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/sending is unavailable \(SMTP .*127\.0\.0\.1:\d+.*ECONNREFUSED/);
    expect(err.join('\n')).toContain('Nothing unsent was marked sent');
    const rows = await f.db.selectFrom('deliveries').select(['state']).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(4);
    expect(rows.every((r) => r.state === 'retry')).toBe(true);
    // Everyone else is still due and untouched.
    const due = await f.db.selectFrom('subscribers').select('id').where('next_send_at', '<=', T).execute();
    expect(due.length).toBe(30 - rows.length);

    // The server is back: the next pass sends to all thirty, each once.
    io.env.NEWSLETTER_SMTP_URL = sink.url;
    expect(await main(['send', '--at', new Date(T + 20 * MIN).toISOString()], io)).toBe(0);
    expect(out[out.length - 1]).toMatch(
      /^sent 30, failed 0, bounced 0, retried later 0, skipped 0 \(30 due\) in [\d.]+ s, [\d.]+ messages\/s; links use \S+$/,
    );
    expect(new Set(sink.received.map((m) => m.envelopeTo[0])).size).toBe(30);
    expect(sink.received).toHaveLength(30);
    expect(sink.received.every((m) => header(m, 'X-Newsletter-Tip') === 'what-happens-in-your-calf')).toBe(true);
  });
});
