import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createThreadedSmtpMailer } from '../../src/mailer/threaded-smtp-mailer.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { form, useHarness } from './harness.ts';

/** A relay that takes the connection and never says a word: no greeting, ever (a hung MTA, a black-holing firewall). */
async function stallingRelay(): Promise<{ url: string; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const SIGNUPS = 1100;
const CONCURRENCY = 25;
/** NEWSLETTER_CONFIRMATION_QUEUE's default. */
const QUEUE = 1000;

/**
 * Issue 20, row 5: 1,000 confirmations pending while the relay stalls. A sign-up writes its row
 * and its queued confirmation and answers at once, never waiting for SMTP; once the queue holds
 * NEWSLETTER_CONFIRMATION_QUEUE unsent confirmations, the next sign-up answers 503 with
 * Retry-After and says to try later. Every one of 1,100 concurrent requests against the real
 * server is answered while the relay is still stalled (it is released only after the last answer).
 */
describeEachEngine('sign-ups while the relay stalls', (engine) => {
  const t = useTestStore(engine);
  let relay: Awaited<ReturnType<typeof stallingRelay>>;
  beforeAll(async () => {
    relay = await stallingRelay();
  });
  const h = useHarness(() => ({
    env: { NEWSLETTER_DATABASE_URL: t.url },
    // The production SMTP pool (worker thread, 5 connections), pointed at the stalling relay.
    mailer: () => createThreadedSmtpMailer({ url: relay.url, pool: 5 }),
  }));
  // Registered after the harness, so it runs first: the stalled sends fail at once, and the site
  // has nothing left to wait for.
  afterAll(() => relay?.close());

  it('every POST /subscribe is answered while the relay stalls: 200 until the queue is full, then 503 with Retry-After', async () => {
    const answers: { status: number; retryAfter: string | null; body: string; json: boolean }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SIGNUPS) {
          const i = next++;
          const email = `flood-${i}@reader-mail.example`;
          const json = i % 2 === 0;
          const res = json
            ? await fetch(`${h.url}/subscribe`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json' },
                body: JSON.stringify({ email }),
              })
            : await form(`${h.url}/subscribe`, { email });
          answers.push({
            status: res.status,
            retryAfter: res.headers.get('retry-after'),
            body: await res.text(),
            json,
          });
        }
      }),
    );
    // All answered, and the relay is still stalled: it took connections and never greeted one.
    expect(answers).toHaveLength(SIGNUPS);
    expect(relay.accepted()).toBeGreaterThan(0);
    expect(h.sink.received).toHaveLength(0);

    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(ok.length + busy.length).toBe(SIGNUPS);
    // The bound holds to within the requests already past the check when it filled.
    expect(ok.length).toBeGreaterThanOrEqual(QUEUE);
    expect(ok.length).toBeLessThan(QUEUE + CONCURRENCY);
    expect(busy.length).toBeGreaterThan(0);
    for (const a of busy) {
      expect(a.retryAfter).toBe('300');
      if (a.json)
        expect(JSON.parse(a.body)).toEqual({
          ok: false,
          error: 'busy',
          message: 'We are sending many confirmation emails right now. Please try again in 5 minutes.',
          retryAfter: 300,
        });
      else expect(a.body).toContain('Please try again in 5 minutes.');
    }
    for (const a of ok) expect(a.body).toMatch(a.json ? /"ok":true/ : /Check your inbox/);

    // Each 200 is a confirmation waiting in the queue, nothing more, nothing lost.
    const queued = await t.db
      .selectFrom('system_emails')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'confirm')
      .where('state', '=', 'queued')
      .executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBe(ok.length);
    // A full queue answers everyone alike, a reader already on the list too: it says nothing about an address.
    const again = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'flood-0@reader-mail.example' }),
    });
    expect(again.status).toBe(503);
  }, 180_000);
});
