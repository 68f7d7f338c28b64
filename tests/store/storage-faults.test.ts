import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { mountTmpfs, unmountTmpfs } from '../support/tmpfs.ts';

/**
 * Every storage fault an operator can meet at start-up stops with one line that names the
 * setting, the problem and what to do, exits 1, and changes nothing.
 */
const NOW = new Date('2026-03-02T10:00:00Z');

const oneLine = (r: { code: number; stderr: string; stdout: string }) => {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trim();
};

describe('storage faults: one line, exit 1, nothing changed', () => {
  let temp: TempProject;
  let mnt: string;
  let cannotMount: string | undefined;
  const cli = (env: Record<string, string>, ...args: string[]) => runCli(args, temp.dir, env, NOW);

  beforeAll(async () => {
    temp = await tempProject();
    mnt = path.join(temp.dir, 'mnt');
    cannotMount = mountTmpfs(mnt, { size: '4m', cases: 'the read-only file system cases' });
  });
  afterAll(async () => {
    if (!cannotMount) unmountTmpfs(mnt);
    await temp.cleanup();
  });

  it('a folder as the database path', async () => {
    const dir = path.join(temp.dir, 'a-folder');
    await mkdir(dir);
    const line = oneLine(await cli({ NEWSLETTER_DATABASE_URL: `sqlite:${dir}` }, 'migrate'));
    expect(line).toBe(
      `NEWSLETTER_DATABASE_URL: the database ${dir} is a folder, not a database file; name a file inside it, e.g. sqlite:subscribers/newsletter.db`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file that is not an SQLite database (sqlite:/etc/passwd)', async () => {
    const before = { text: readFileSync('/etc/passwd', 'utf8'), mtime: statSync('/etc/passwd').mtimeMs };
    const line = oneLine(await cli({ NEWSLETTER_DATABASE_URL: 'sqlite:/etc/passwd' }, 'subscribers', 'list'));
    expect(line).toMatch(
      /^NEWSLETTER_DATABASE_URL: the database \/etc\/passwd is not an SQLite database; point the setting at/,
    );
    expect({ text: readFileSync('/etc/passwd', 'utf8'), mtime: statSync('/etc/passwd').mtimeMs }).toEqual(before);
    expect(existsSync('/etc/passwd-wal')).toBe(false);
    expect(existsSync('/etc/passwd-shm')).toBe(false);
  });

  it('the link-signing key file is a folder', async () => {
    const project = await tempProject();
    try {
      await mkdir(path.join(project.dir, 'subscribers/.secret'), { recursive: true });
      const r = await runCli(['migrate'], project.dir, { NEWSLETTER_SECRET: '' }, NOW);
      expect(oneLine(r)).toBe(
        'subscribers/.secret: is a folder, not the link-signing key file; move the folder away and restore the key file from a backup, or set NEWSLETTER_SECRET to the key',
      );
    } finally {
      await project.cleanup();
    }
  });

  it('a database on a read-only file system, and a missing folder under a read-only parent', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const file = path.join(mnt, 'newsletter.db');
    const env = { NEWSLETTER_DATABASE_URL: `sqlite:${file}` };
    expect((await cli(env, 'migrate')).code).toBe(0);
    expect((await cli(env, 'subscribers', 'add', 'ann@example.org', '--confirmed')).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    try {
      const files = readdirSync(mnt).sort();
      const bytes = readFileSync(file);
      const line = oneLine(await cli(env, 'subscribers', 'add', 'bob@example.org', '--confirmed'));
      expect(line).toBe(
        `NEWSLETTER_DATABASE_URL: the database ${file} is on a read-only file system (or its folder is not writable); put the database on a writable disk (or remount it read-write) and try again`,
      );
      expect(readdirSync(mnt).sort()).toEqual(files);
      expect(readFileSync(file).equals(bytes)).toBe(true);

      const below = path.join(mnt, 'new-folder', 'newsletter.db');
      const missing = oneLine(await cli({ NEWSLETTER_DATABASE_URL: `sqlite:${below}` }, 'migrate'));
      expect(missing).toBe(
        `NEWSLETTER_DATABASE_URL: the folder for the database ${path.dirname(below)} is on a read-only file system (or its folder is not writable); put the database on a writable disk (or remount it read-write) and try again`,
      );
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});
