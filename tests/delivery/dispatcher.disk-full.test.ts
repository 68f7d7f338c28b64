import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSubscribers } from '../../bench/seed.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { fillBut, mountTmpfs, unmountTmpfs } from '../support/tmpfs.ts';

const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const READERS = 400;
/** Every seeded reader is due by then. */
const AT = Date.UTC(2026, 2, 1, 19);
/** The outbox transport sends 4 at once: at most that many messages are in flight when the pass stops. */
const IN_FLIGHT = 4;

describe('the disk that holds the database fills up during a pass (a real tmpfs)', () => {
  let temp: TempProject;
  let mnt: string;
  let cannotMount: string | undefined;
  beforeAll(async () => {
    temp = await tempProject();
    mnt = path.join(temp.dir, 'disk');
    cannotMount = mountTmpfs(mnt, { size: '8m', cases: 'the disk-full pass' });
  });
  afterAll(async () => {
    if (!cannotMount) unmountTmpfs(mnt);
    await temp.cleanup();
  });

  it('stops saying "disk full", its summary equals the database, and only the messages in flight go out twice', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const dbFile = path.join(mnt, 'newsletter.db');
    const outbox = path.join(temp.dir, 'outbox');
    await seedSubscribers(dbFile, READERS, () => ({ status: 'active', nextSendAt: AT - 3_600_000 }));
    const env = {
      ...process.env,
      NEWSLETTER_DATABASE_URL: `sqlite:${dbFile}`,
      NEWSLETTER_OUTBOX_DIR: outbox,
      NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
    };
    const send = (at: number) =>
      exec(process.execPath, [bin, 'send', '--at', new Date(at).toISOString()], { cwd: temp.dir, env }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    const filler = await fillBut(mnt, 400 * 1024);
    const first = await send(AT);
    await rm(filler);

    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('disk full');
    expect(first.stderr).not.toContain('cannot rollback');
    const sent = Number(/^sent ([\d,]+),/m.exec(first.stdout)![1]!.replace(/,/g, ''));
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(READERS);

    const count = (state: string) => {
      const db = new SQLite(dbFile, { readonly: true });
      try {
        return (db.prepare('select count(*) as n from deliveries where state = ?').get(state) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    // The summary says what the database says.
    expect(count('sent')).toBe(sent);
    const sending = count('sending');
    expect(sending).toBeLessThanOrEqual(IN_FLIGHT);
    const written = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(written.length).toBeGreaterThanOrEqual(sent);
    expect(written.length).toBeLessThanOrEqual(sent + sending);

    // With space again, a pass after the claims' grace period finishes the list.
    const second = await send(AT + 11 * 60_000);
    expect(second.code, second.stderr).toBe(0);
    expect(count('sent')).toBe(READERS);
    expect(count('sending')).toBe(0);
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const ids = await Promise.all(
      files.map(async (f) => /^Message-ID:\s*(<[^>]+>)/im.exec(await readFile(path.join(outbox, f), 'utf8'))![1]!),
    );
    const distinct = new Set(ids);
    expect(distinct.size).toBe(READERS);
    // The crash bound: a repeat only for a message that was in flight when the disk filled.
    expect(files.length - distinct.size).toBeLessThanOrEqual(sending);
  });

  it('an outbox on a full disk stops the pass with "disk full", marks nothing unsent as sent, and leaves no half-written file', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const dbFile = path.join(temp.dir, 'outbox-case.db');
    const outbox = path.join(mnt, 'outbox-full');
    await seedSubscribers(dbFile, 50, () => ({ status: 'active', nextSendAt: AT - 3_600_000 }));
    const env = {
      ...process.env,
      NEWSLETTER_DATABASE_URL: `sqlite:${dbFile}`,
      NEWSLETTER_OUTBOX_DIR: outbox,
      NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
    };
    const filler = await fillBut(mnt, 0);
    const r = await exec(process.execPath, [bin, 'send', '--at', new Date(AT).toISOString()], {
      cwd: temp.dir,
      env,
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    await rm(filler);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('disk full: the outbox folder cannot be written');
    expect(r.stdout).toMatch(/^sent 0,/m);
    const db = new SQLite(dbFile, { readonly: true });
    try {
      expect(
        (db.prepare("select count(*) as n from deliveries where state in ('sent', 'sending')").get() as { n: number })
          .n,
      ).toBe(0);
    } finally {
      db.close();
    }
    const left = await readdir(outbox).catch(() => []);
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
