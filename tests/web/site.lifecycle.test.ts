import { afterAll, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMessage } from '../../src/mailer/mailer.ts';
import { purgeUnconfirmed } from '../../src/subscription/subscriptions.ts';
import { form, linkIn, onSite, useHarness } from './harness.ts';

const DAY = 86_400_000;

describe('pending readers who never confirm', () => {
  const h = useHarness();

  it('are erased after 30 days, and their link then says so', async () => {
    const email = 'never-confirms@example.org';
    await form(`${h.url}/subscribe`, { email });
    const [mail] = await h.mailTo(email);
    const t = h.clock.now();
    expect(await purgeUnconfirmed(h.store, new Date(t.getTime() + 29 * DAY))).toBe(0);
    expect(await h.subscriber(email)).toBeDefined();
    expect(await purgeUnconfirmed(h.store, new Date(t.getTime() + 30 * DAY + 1))).toBe(1);
    expect(await h.subscriber(email)).toBeUndefined();
    const res = await fetch(onSite(h, linkIn(mail!.parsed, 'confirm')), { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('No subscription for this link');
  });
});

describe('when the mail server is slow or down', () => {
  const calls: OutgoingMessage[] = [];
  let release: () => void = () => {};
  let fail = false;
  const gate = new Promise<void>((r) => (release = r));
  const gated: Mailer = {
    concurrency: 1,
    describe: () => 'gated',
    close: async () => {},
    async send(m) {
      calls.push(m);
      if (fail) throw new Error(`451 <${m.to}>: try later`);
      await gate;
      return { response: '250 ok' };
    },
  };
  const h = useHarness({ mailer: () => gated, limits: { mailBacklog: 1 } });
  // Registered after the harness, so it runs before the harness closes: no send is left stalled.
  afterAll(() => release());

  it('answers at once however many emails wait: beyond the backlog limit an email is left to the scheduler', async () => {
    expect((await form(`${h.url}/subscribe`, { email: 'first@example.org' })).status).toBe(200);
    for (let i = 0; i < 200 && calls.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    // The first email is with the (stalled) mailer; the second request is answered all the same,
    // and its email is not started here (mailBacklog 1): it waits in the queue.
    expect((await form(`${h.url}/subscribe`, { email: 'second@example.org' })).status).toBe(200);
    expect(calls.map((c) => c.to)).toEqual(['first@example.org']);
    release();
    await h.site.idle();
    expect(await h.subscriptions.drainSystemEmails(h.clock.now())).toMatchObject({ sent: 1 });
    expect(calls.map((c) => c.to)).toEqual(['first@example.org', 'second@example.org']);
  });

  it('a confirmation that could not be sent stays queued, and the next drain sends it (asking again adds none)', async () => {
    fail = true;
    const email = 'retry@example.org';
    await form(`${h.url}/subscribe`, { email });
    await h.site.idle();
    expect(
      h.logs.some((l) =>
        l.includes('confirmation email could not be sent now: 451 <<address>>: try later; it stays queued'),
      ),
    ).toBe(true);
    expect(h.logs.join('\n')).not.toContain(email);
    expect((await h.subscriber(email))!.confirmSentAt).toBe(h.clock.now().getTime());
    // The same answer to a second request; it queues nothing more (one per 10 minutes).
    expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
    await h.site.idle();
    expect(calls.filter((c) => c.to === email)).toHaveLength(1);
    fail = false;
    expect(await h.subscriptions.drainSystemEmails(new Date(h.clock.now().getTime() + 5 * 60_000))).toMatchObject({
      sent: 1,
    });
    expect(calls.filter((c) => c.to === email)).toHaveLength(2);
  });
});
