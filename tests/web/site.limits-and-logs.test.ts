import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecret } from '../../src/config.ts';
import { withoutAddresses } from '../../src/redact.ts';
import { form, linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

describe('behind a reverse proxy (NEWSLETTER_TRUST_PROXY)', () => {
  const h = useHarness({ trustProxy: true, limits: { subscribePerIp: { max: 3, windowMs: 60_000 } } });

  it('limits by the address the proxy saw, whatever the client writes into X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // The client forges the left part; the proxy appends the real address on the right.
      const res = await form(
        `${h.url}/subscribe`,
        { email: `proxied${i}@example.org` },
        { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const other = await form(
      `${h.url}/subscribe`,
      { email: 'neighbour@example.org' },
      { 'x-forwarded-for': '203.0.113.8' },
    );
    expect(other.status).toBe(200);
  });
});

describe('one-click unsubscribes under the link limit', () => {
  const h = useHarness({ limits: { linksPerIp: { max: 2, windowMs: 60_000 } } });

  it('a valid one-click POST is never refused; failed attempts are what the limit counts', async () => {
    const links: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { welcome } = await subscribeAndConfirm(h, `oneclick${i}@example.org`);
      links.push(onSite(h, linkIn(welcome.parsed, 'unsubscribe')));
    }
    // The two confirmations used the limit up: valid one-click POSTs still get their 200.
    for (const link of links) {
      const res = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < 2; i++) expect((await h.subscriber(`oneclick${i}@example.org`))!.status).toBe('unsubscribed');
    const forged = await fetch(`${h.url}/unsubscribe?token=forged.token`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'text/plain' },
    });
    expect(forged.status).toBe(429);
  });
});

describe('preferences form', () => {
  const h = useHarness();

  it('a POST without a name field leaves the name alone, and one without an action changes nothing', async () => {
    const { welcome } = await subscribeAndConfirm(h, 'keepname@example.org', { name: 'Ann' });
    const prefs = onSite(h, linkIn(welcome.parsed, 'preferences'));
    const saved = await form(prefs, { action: 'save', sendTime: '20:30' });
    expect(saved.status).toBe(200);
    expect(await h.subscriber('keepname@example.org')).toMatchObject({ name: 'Ann', sendTime: '20:30' });
    const empty = await fetch(prefs, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
    expect(await h.subscriber('keepname@example.org')).toMatchObject({ name: 'Ann', sendTime: '20:30' });
  });
});

describe('secrets and logs', () => {
  it('masks every address in a log line', () => {
    expect(withoutAddresses('550 5.1.1 <bob.smith+news@example.org>: no such user (ann@example.net)')).toBe(
      '550 5.1.1 <<address>>: no such user (<address>)',
    );
  });

  it('refuses a stored link-signing key shorter than 32 bytes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ncw-secret-'));
    try {
      await mkdir(path.join(dir, 'subscribers'));
      await writeFile(path.join(dir, 'subscribers/.secret'), '\n');
      const config = loadConfig({}, dir);
      expect(() => resolveSecret(config)).toThrow(ConfigError);
      expect(() => resolveSecret(config)).toThrow(
        /subscribers\/\.secret: the stored link-signing key is shorter than 32 bytes/,
      );
      await rm(path.join(dir, 'subscribers/.secret'));
      expect(resolveSecret(config)).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
