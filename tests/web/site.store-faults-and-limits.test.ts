import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, type Harness, linkIn, onSite, startHarness, subscribeAndConfirm, useHarness } from './harness.ts';
import { mountTmpfs, unmountTmpfs } from '../support/tmpfs.ts';

const MINUTE = 60_000;

describe('a reader who unsubscribes and comes back within 10 minutes', () => {
  const h = useHarness();

  it('gets a fresh confirmation at once, and its link works', async () => {
    const email = 'returning@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    h.clock.advance(MINUTE);
    expect((await fetch(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), { method: 'POST' })).status).toBe(200);
    expect((await h.subscriber(email))!.status).toBe('unsubscribed');
    const before = (await h.mailTo(email, 1)).length;
    h.clock.advance(2 * MINUTE);
    expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
    const mails = await h.mailTo(email, before + 1);
    const fresh = mails[mails.length - 1]!;
    expect(fresh.parsed.subject).toMatch(/confirm/i);
    expect((await fetch(onSite(h, linkIn(fresh.parsed, 'confirm')), { method: 'POST' })).status).toBe(200);
    expect((await h.subscriber(email))!.status).toBe('active');
  });

  it('asking again at once sends no second email (one confirmation per 10 minutes still holds)', async () => {
    const email = 'twice@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    expect((await fetch(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), { method: 'POST' })).status).toBe(200);
    h.clock.advance(MINUTE);
    await form(`${h.url}/subscribe`, { email });
    await form(`${h.url}/subscribe`, { email });
    await h.site.idle();
    const confirmations = h.sink.received.filter(
      (m) => m.envelopeTo.includes(email) && /confirm/i.test(m.parsed.subject ?? ''),
    );
    expect(confirmations).toHaveLength(2); // the first sign-up's and one fresh one
  });
});

describe('per-address limits a stranger cannot use against a reader, and no 429 for requests without an address', () => {
  const h = useHarness({
    trustProxy: true,
    limits: {
      subscribePerIp: { max: 100, windowMs: MINUTE },
      subscribePerAddress: { max: 5, windowMs: 60 * MINUTE },
    },
  });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('five sign-ups for one address from five other IPs do not lock the reader out', async () => {
    for (let i = 1; i <= 5; i++)
      expect((await form(`${h.url}/subscribe`, { email: 'victim@example.org' }, from(`198.51.100.${i}`))).status).toBe(
        200,
      );
    // The same stranger going on is limited...
    for (let i = 0; i < 5; i++) await form(`${h.url}/subscribe`, { email: 'victim@example.org' }, from('198.51.100.9'));
    expect((await form(`${h.url}/subscribe`, { email: 'victim@example.org' }, from('198.51.100.9'))).status).toBe(429);
    // ...the reader, from their own address, is not.
    expect((await form(`${h.url}/subscribe`, { email: 'victim@example.org' }, from('203.0.113.50'))).status).toBe(200);
    // And the address got one confirmation in all that, not eleven.
    await h.site.idle();
    expect(h.sink.received.filter((m) => m.envelopeTo.includes('victim@example.org'))).toHaveLength(1);
  });

  it('requests with no usable address get 400 or 415, never 429, however many come', async () => {
    for (let i = 0; i < 12; i++) {
      const ip = from(`192.0.2.${i}`);
      expect((await form(`${h.url}/subscribe`, { name: 'No address' }, ip)).status).toBe(400);
      expect((await form(`${h.url}/subscribe`, { email: 'not-an-address' }, ip)).status).toBe(400);
      const json = await fetch(`${h.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ip },
        body: JSON.stringify({}),
      });
      expect(json.status).toBe(400);
      const xml = await fetch(`${h.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', ...ip },
        body: '<x/>',
      });
      expect(xml.status).toBe(415);
    }
  });
});

/** Writes zeros until the disk says ENOSPC. */
async function fill(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) await handle.write(block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await handle.close();
  }
}

describe('while the disk that holds the database is full', () => {
  const mnt = path.join(tmpdir(), `ncw-full-${process.pid}`);
  let cannotMount: string | undefined;
  let h: Harness;
  beforeAll(async () => {
    cannotMount = mountTmpfs(mnt, { size: '8m', cases: 'the disk-full cases' });
    if (cannotMount) return;
    h = await startHarness({ env: { NEWSLETTER_DATABASE_URL: `sqlite:${path.join(mnt, 'newsletter.db')}` } });
  });
  afterAll(async () => {
    await h?.close();
    if (!cannotMount) unmountTmpfs(mnt);
    await rm(mnt, { recursive: true, force: true });
  });

  it('/healthz and /subscribe answer 503 with Retry-After, nothing is stored, and both recover when space is freed', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const filler = path.join(mnt, 'filler');
    await fill(filler);
    try {
      const health = await fetch(`${h.url}/healthz`);
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toMatch(/^\d+$/);
      const page = await form(`${h.url}/subscribe`, { email: 'during-full@example.org' });
      expect(page.status).toBe(503);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
      const text = await page.text();
      expect(text).not.toMatch(/check your inbox/i);
      expect(text).toContain('try again');
      const json = await fetch(`${h.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'during-full@example.org' }),
      });
      expect(json.status).toBe(503);
      expect(await json.json()).toMatchObject({ ok: false, error: 'unavailable' });
    } finally {
      await rm(filler);
    }
    expect(await h.subscriber('during-full@example.org')).toBeUndefined();
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await form(`${h.url}/subscribe`, { email: 'after-full@example.org' })).status).toBe(200);
  });
});
