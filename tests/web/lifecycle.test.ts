import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMessage } from '../../src/mailer/mailer.ts';
import { purgeUnconfirmed } from '../../src/subscription/subscriptions.ts';
import { form, linkIn, onSite, startHarness, type Harness } from './harness.ts';

const DAY = 86_400_000;

describe('pending readers who never confirm', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

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
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mailer: () => gated, limits: { mailBacklog: 1 } });
  });
  afterAll(async () => {
    release();
    await h.close();
  });

  it('answers at once while few emails wait, and waits for its email beyond the backlog limit', async () => {
    expect((await form(`${h.url}/subscribe`, { email: 'first@example.org' })).status).toBe(200);
    let settled = false;
    const second = form(`${h.url}/subscribe`, { email: 'second@example.org' }).then((r) => {
      settled = true;
      return r;
    });
    for (let i = 0; i < 200 && calls.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(calls.map((c) => c.to)).toEqual(['first@example.org', 'second@example.org']);
    expect(settled).toBe(false);
    release();
    expect((await second).status).toBe(200);
  });

  it('a confirmation that could not be sent can be asked for again at once', async () => {
    fail = true;
    const email = 'retry@example.org';
    await form(`${h.url}/subscribe`, { email });
    await h.site.idle();
    expect(h.logs.some((l) => l.includes('confirmation email could not be sent: 451 <<address>>: try later'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain(email);
    expect((await h.subscriber(email))!.confirm_sent_at).toBeNull();
    fail = false;
    await form(`${h.url}/subscribe`, { email });
    await h.site.idle();
    expect(calls.filter((c) => c.to === email)).toHaveLength(2);
  });
});
