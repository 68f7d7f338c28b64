import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { loadConfig, resolveSecret, secretFile } from '../../src/config.ts';
import { signToken, tokenLifetimeDays, verifyToken, type TokenPurpose } from '../../src/subscription/tokens.ts';
import { runCli } from '../support/run-cli.ts';
import { signV1Token } from '../support/v1-token.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const OLD_KEY = 'old-key-that-is-at-least-32-bytes-long-000';
const NEW_KEY = 'new-key-that-is-at-least-32-bytes-long-111';

describe('the link-signing key', () => {
  let temp: TempProject;
  // No NEWSLETTER_SECRET: the stored key is used.
  const cli = (env: Record<string, string>, ...args: string[]) =>
    runCli(args, temp.dir, { NEWSLETTER_SECRET: '', ...env }, NOW);
  beforeEach(async () => {
    temp = await tempProject();
  });
  afterEach(() => temp.cleanup());

  it('is made next to the database (mode 600) for a new database, and kept', async () => {
    expect((await cli({}, 'migrate')).code).toBe(0);
    const file = path.join(temp.dir, 'subscribers/.secret');
    expect((await cli({}, 'subscribers', 'add', 'ann@example.org', '--confirmed')).code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = await readFile(file, 'utf8');
    expect((await cli({}, 'subscribers', 'add', 'bob@example.org', '--confirmed')).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(key);

    const elsewhere = path.join(temp.dir, 'data/news.db');
    expect(
      (
        await cli(
          { NEWSLETTER_DATABASE_URL: `sqlite:${elsewhere}` },
          'subscribers',
          'add',
          'cy@example.org',
          '--confirmed',
        )
      ).code,
    ).toBe(0);
    expect(secretFile(loadConfig({ NEWSLETTER_DATABASE_URL: `sqlite:${elsewhere}` }, temp.dir))).toBe(
      path.join(temp.dir, 'data/.secret'),
    );
    // An install that kept its key at the old place (subscribers/.secret) goes on with that key, copied next to the database.
    expect(await readFile(path.join(temp.dir, 'data/.secret'), 'utf8')).toBe(key);
  });

  it('is never silently remade once the database has readers: one line says how to restore or rotate', async () => {
    expect((await cli({}, 'subscribers', 'add', 'ann@example.org', '--confirmed')).code).toBe(0);
    const file = path.join(temp.dir, 'subscribers/.secret');
    const key = await readFile(file, 'utf8');
    await rm(file);
    for (const args of [['send'], ['subscribers', 'list'], ['migrate']]) {
      const r = await cli({}, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        'subscribers/.secret: the link-signing key is missing but the database has readers, so a new key would break every link already sent; restore the file from a backup (or set NEWSLETTER_SECRET to the key), or if the key is lost for good, rotate: `openssl rand -hex 32 > subscribers/.secret && chmod 600 subscribers/.secret`',
      ]);
    }
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    // Restored from the backup: everything works again.
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, key, { mode: 0o600 });
    expect((await cli({}, 'subscribers', 'list')).code).toBe(0);
  });

  it('rotates: links signed with NEWSLETTER_SECRET_PREVIOUS still verify until they expire, new links use the new key', async () => {
    const env = { NEWSLETTER_SECRET: OLD_KEY };
    const before = openApp({ cwd: temp.dir, env, now: () => NOW });
    const subscriptions = await before.subscriptions();
    const added = await subscriptions.add(
      { email: 'ann@example.org', confirmed: true, source: 'cli', welcome: false },
      NOW,
    );
    const publicId = added.ok ? added.subscriber!.publicId : '';
    await before.close();
    const oldLink = signToken(OLD_KEY, 'preferences', publicId, NOW);

    const rotated = openApp({
      cwd: temp.dir,
      env: { NEWSLETTER_SECRET: NEW_KEY, NEWSLETTER_SECRET_PREVIOUS: OLD_KEY },
      now: () => NOW,
    });
    const after = await rotated.subscriptions();
    expect(await after.resolve(oldLink, 'preferences', NOW)).toMatchObject({ ok: true });
    expect(await after.resolve(signToken(NEW_KEY, 'preferences', publicId, NOW), 'preferences', NOW)).toMatchObject({
      ok: true,
    });
    const nextYear = new Date(NOW.getTime() + 366 * 86_400_000);
    expect(await after.resolve(oldLink, 'preferences', nextYear)).toEqual({ ok: false, problem: 'expired' });
    // The previous key only verifies: a token with any other key is refused.
    expect(
      await after.resolve(
        signToken('a-third-key-that-is-at-least-32-bytes-long', 'preferences', publicId, NOW),
        'preferences',
        NOW,
      ),
    ).toEqual({ ok: false, problem: 'bad-signature' });
    await rotated.close();

    const without = openApp({ cwd: temp.dir, env: { NEWSLETTER_SECRET: NEW_KEY }, now: () => NOW });
    expect(await (await without.subscriptions()).resolve(oldLink, 'preferences', NOW)).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    await without.close();
    expect(() => loadConfig({ NEWSLETTER_SECRET_PREVIOUS: 'short' }, temp.dir)).toThrow(
      /^NEWSLETTER_SECRET_PREVIOUS: must be at least 32 bytes/,
    );
    expect(
      resolveSecret(loadConfig({ NEWSLETTER_SECRET: NEW_KEY, NEWSLETTER_SECRET_PREVIOUS: OLD_KEY }, temp.dir)),
    ).toBe(NEW_KEY);
  });
});

const DAY = 86_400_000;
const PURPOSES = Object.keys(tokenLifetimeDays) as TokenPurpose[];
const PUBLIC_ID = 'AbCdEfGhIjKlMnOpQrStUv';

/** Signed by the v1 code itself with OLD_KEY at NOW: preferences for PUBLIC_ID. */
const V1_PREFERENCES =
  'eyJwIjoicHJlZmVyZW5jZXMiLCJzIjoiQWJDZEVmR2hJaktsTW5PcFFyU3RVdiIsImUiOjE4MDM5ODE2MDB9.H0hnm-XTscAkq-EoQnCBaO3u0YZ3mD5i_7dfRM4B1Tg';

describe('link tokens (v2, and v1 as sent before)', () => {
  it('round-trips every purpose, purpose-bound, and each is URL-unreserved', () => {
    for (const purpose of PURPOSES) {
      const token = signToken(NEW_KEY, purpose, PUBLIC_ID, NOW);
      expect(token).toMatch(/^[A-Za-z0-9._~-]+$/);
      expect(encodeURIComponent(token)).toBe(token);
      expect(token.split('.')).toHaveLength(3);
      expect(verifyToken(NEW_KEY, token, purpose, NOW)).toEqual({
        ok: true,
        subject: PUBLIC_ID,
        expiresAt: new Date(NOW.getTime() + tokenLifetimeDays[purpose] * DAY),
      });
      for (const other of PURPOSES.filter((p) => p !== purpose))
        expect(verifyToken(NEW_KEY, token, other, NOW), `${purpose} as ${other}`).toEqual({
          ok: false,
          reason: 'wrong-purpose',
        });
    }
  });

  it('is under 60 characters for a 13-character subject, and for a 22-character public id', () => {
    for (const purpose of PURPOSES) {
      expect(signToken(NEW_KEY, purpose, 'sample-reader', NOW).length).toBeLessThan(60);
      expect(signToken(NEW_KEY, purpose, PUBLIC_ID, NOW).length).toBeLessThan(60);
    }
    // v1 was 116 characters for the same link.
    expect(signV1Token(NEW_KEY, 'unsubscribe', 'sample-reader', NOW)).toHaveLength(116);
  });

  it("round-trips subjects with ':', dots, tildes and non-ASCII, and keeps them unreserved", () => {
    for (const subject of [
      `${PUBLIC_ID}:stop-it-in-its-tracks`,
      '42:a.b',
      'a~7E',
      '~',
      '..',
      'Zoë Łukasz 夜 🦵',
      'a.b.c.d',
      '%2E',
    ]) {
      const token = signToken(NEW_KEY, 'feedback', subject, NOW);
      expect(token.split('.'), subject).toHaveLength(3);
      expect(encodeURIComponent(token)).toBe(token);
      expect(verifyToken(NEW_KEY, token, 'feedback', NOW)).toMatchObject({ ok: true, subject });
    }
    // Two subjects that differ only by an escape never share a token.
    expect(signToken(NEW_KEY, 'feedback', 'a:b', NOW)).not.toBe(signToken(NEW_KEY, 'feedback', 'a~3Ab', NOW));
    expect(() => signToken(NEW_KEY, 'feedback', '', NOW)).toThrow(/not empty/);
    expect(() => signToken(NEW_KEY, 'feedback', 'a\ud800', NOW)).toThrow(/well-formed/);
  });

  it('refuses a changed subject, expiry, purpose letter or signature: bad-signature', () => {
    const token = signToken(NEW_KEY, 'unsubscribe', PUBLIC_ID, NOW);
    const [head, subject, sig] = token.split('.') as [string, string, string];
    const later = (parseInt(head.slice(1), 36) + 365 * 86_400).toString(36);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'B' ? 'C' : 'B') + s.slice(i + 1);
    for (const forged of [
      `${head}.${subject.replace('A', 'B')}.${sig}`,
      `${head}.other-reader.${sig}`,
      `${head}.${subject}x.${sig}`,
      `${head[0]}${later}.${subject}.${sig}`,
      `${head.slice(0, -1)}${head.endsWith('a') ? 'b' : 'a'}.${subject}.${sig}`,
      `${head}.${subject}.${flip(sig, 0)}`,
      `${head}.${subject}.${flip(sig, 10)}`,
      signToken('a-third-key-that-is-at-least-32-bytes-long', 'unsubscribe', PUBLIC_ID, NOW),
    ])
      expect(verifyToken(NEW_KEY, forged, 'unsubscribe', NOW), forged).toEqual({ ok: false, reason: 'bad-signature' });
    // The letter re-lettered to the purpose it is checked for: the signature covers the purpose, so it fails.
    const asPreferences = `p${head.slice(1)}.${subject}.${sig}`;
    expect(verifyToken(NEW_KEY, asPreferences, 'preferences', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses what is not a token: malformed, before any work for what is too long', () => {
    const token = signToken(NEW_KEY, 'unsubscribe', PUBLIC_ID, NOW);
    const [head, subject, sig] = token.split('.') as [string, string, string];
    for (const bad of [
      undefined,
      42,
      '',
      'x',
      `${head}.${subject}`.slice(0, 1) + '.',
      `${head}.${subject}.${sig}.x`,
      `${head}..${sig}`,
      `q${head.slice(1)}.${subject}.${sig}`,
      `${head}.${subject}:x.${sig}`,
      `${head}.${subject}~3a.${sig}`,
      `${head}.${subject}.${sig.slice(0, -1)}`,
      `${head}.${subject}.${sig.slice(0, -1)}B`,
      `${head}.${subject}.${sig}=`,
      `${head}.${'a'.repeat(1024)}.${sig}`,
    ])
      expect(verifyToken(NEW_KEY, bad, 'unsubscribe', NOW), String(bad)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a v2 token expires after its lifetime: 7 days for confirm, a year for the links in emails', () => {
    const confirm = signToken(NEW_KEY, 'confirm', PUBLIC_ID, NOW);
    expect(confirm.split('.')).toHaveLength(3);
    expect(verifyToken(NEW_KEY, confirm, 'confirm', new Date(NOW.getTime() + 7 * DAY - 1000))).toMatchObject({
      ok: true,
    });
    expect(verifyToken(NEW_KEY, confirm, 'confirm', new Date(NOW.getTime() + 7 * DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
    const unsubscribe = signToken(NEW_KEY, 'unsubscribe', PUBLIC_ID, NOW);
    expect(verifyToken(NEW_KEY, unsubscribe, 'unsubscribe', new Date(NOW.getTime() + 364 * DAY))).toMatchObject({
      ok: true,
    });
    expect(verifyToken(NEW_KEY, unsubscribe, 'unsubscribe', new Date(NOW.getTime() + 366 * DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('a v2 token verifies with the previous key, only when it is given', () => {
    const token = signToken(OLD_KEY, 'preferences', PUBLIC_ID, NOW);
    expect(token.split('.')).toHaveLength(3);
    const keys = { secret: NEW_KEY, previousSecrets: [OLD_KEY] };
    expect(verifyToken(keys, token, 'preferences', NOW)).toMatchObject({ ok: true, subject: PUBLIC_ID });
    expect(verifyToken({ secret: NEW_KEY }, token, 'preferences', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(keys, token, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('still verifies v1 tokens as sent before, beside v2 ones for the same link; purpose and expiry still enforced', () => {
    expect(signV1Token(OLD_KEY, 'preferences', PUBLIC_ID, NOW)).toBe(V1_PREFERENCES);
    const keys = { secret: NEW_KEY, previousSecrets: [OLD_KEY] };
    const later = new Date(NOW.getTime() + 200 * DAY);
    // The same link signed today is v2; both open it, naming the same reader until the same day.
    const v2 = signToken(OLD_KEY, 'preferences', PUBLIC_ID, NOW);
    expect(v2).not.toBe(V1_PREFERENCES);
    expect(verifyToken(keys, v2, 'preferences', later)).toEqual(
      verifyToken(keys, V1_PREFERENCES, 'preferences', later),
    );
    expect(verifyToken(keys, V1_PREFERENCES, 'preferences', later)).toEqual({
      ok: true,
      subject: PUBLIC_ID,
      expiresAt: new Date(NOW.getTime() + 365 * DAY),
    });
    expect(verifyToken(keys, V1_PREFERENCES, 'unsubscribe', later)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifyToken(keys, V1_PREFERENCES, 'preferences', new Date(NOW.getTime() + 365 * DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyToken(NEW_KEY, V1_PREFERENCES, 'preferences', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    const feedback = signV1Token(NEW_KEY, 'feedback', `${PUBLIC_ID}:stop-it-in-its-tracks`, NOW);
    expect(verifyToken(NEW_KEY, feedback, 'feedback', NOW)).toMatchObject({
      ok: true,
      subject: `${PUBLIC_ID}:stop-it-in-its-tracks`,
    });
    const [payload, sig] = feedback.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ p: 'feedback', s: 'someone:else', e: 4102444800 })).toString(
      'base64url',
    );
    expect(verifyToken(NEW_KEY, `${other}.${sig}`, 'feedback', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(NEW_KEY, `${payload}.${sig.slice(0, -2)}`, 'feedback', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
