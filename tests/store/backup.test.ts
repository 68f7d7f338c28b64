import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('newsletter db backup', () => {
  let temp: TempProject;
  const cli = (...args: string[]) => runCli(args, temp.dir, {}, NOW);
  beforeAll(async () => {
    temp = await tempProject();
  });
  afterAll(() => temp.cleanup());

  it('copies the live database (its WAL included) while another connection has it open; the copy restores', async () => {
    for (const who of ['ann', 'bob', 'cy'])
      expect((await cli('subscribers', 'add', `${who}@example.org`, '--confirmed')).code).toBe(0);
    // A running service: a connection that keeps the WAL (the last writes are not checkpointed yet).
    const live = openStore(temp.config.database);
    await live
      .updateTable('subscribers')
      .set({ name: 'Written last' })
      .where('email_normalized', '=', 'cy@example.org')
      .execute();
    try {
      const r = await cli('db', 'backup', 'backup/copy.db');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^backed up .*newsletter\.db to .*backup\/copy\.db \(\d+ pages, [\d.]+ MB\)$/);
      expect(r.stderr).toContain('keep a copy of the link-signing key too');
    } finally {
      await live.destroy();
    }
    const copy = path.join(temp.dir, 'backup/copy.db');
    expect((await stat(copy)).mode & 0o777).toBe(0o600);
    const db = new SQLite(copy, { readonly: true });
    expect(db.prepare('select name from subscribers order by id').all()).toEqual([
      { name: null },
      { name: null },
      { name: 'Written last' },
    ]);
    db.close();
    expect((await cli('db', 'backup', 'backup/copy.db')).stderr).toContain('already exists');

    // Restore into another folder: the copy in place of the database, the key file beside it.
    const other = await tempProject();
    try {
      await mkdir(path.join(other.dir, 'subscribers'), { recursive: true });
      await copyFile(copy, path.join(other.dir, 'subscribers/newsletter.db'));
      const list = await runCli(['subscribers', 'list'], other.dir, {}, NOW);
      expect(list.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual([
        'ann@example.org',
        'bob@example.org',
        'cy@example.org',
      ]);
    } finally {
      await other.cleanup();
    }
  });

  it('points PostgreSQL users to pg_dump', async () => {
    const r = await runCli(
      ['db', 'backup', 'x.db'],
      temp.dir,
      { NEWSLETTER_DATABASE_URL: 'postgres://u@127.0.0.1:5432/none' },
      NOW,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('for PostgreSQL use pg_dump');
  });
});
