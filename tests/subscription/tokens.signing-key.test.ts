import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { loadConfig, resolveSecret, secretFile } from '../../src/config.ts';
import { signToken } from '../../src/subscription/tokens.ts';
import { runCli } from '../support/run-cli.ts';
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
