import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../../support/engines.ts';
import { repoRoot, tempProject, type TempProject } from '../../support/temp-project.ts';
import { fillBut, mountTmpfs, unmountTmpfs } from '../../support/tmpfs.ts';

/**
 * A disk that fills during `subscribers import` (batches of 1,000 rows, one transaction each)
 * or under `subscribers add`: one line that names the problem and what to do, then the summary
 * of what was committed, equal to the database; exit 1; no stack trace. Through the compiled
 * command, as an operator runs it.
 */
const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';
const ROWS = 100_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const newsletter = (cwd: string, env: Record<string, string>, ...args: string[]): Promise<Run> =>
  exec(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NEWSLETTER_SECRET: SECRET, ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: Run) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/** `email,name,timezone` and `rows` readers, line n + 1 holding reader n. */
async function writeList(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name,timezone\n');
  for (let i = 0; i < rows; i++)
    if (!out.write(`reader${i}@example.org,Reader ${i},Europe/London\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The one line a fault prints: exactly one line on stderr, no stack. */
function oneLine(run: Run): string {
  const lines = run.stderr
    .trim()
    .split('\n')
    .filter((l) => !/rebuilt dist\//.test(l));
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at |SqliteError|error: /);
  return lines[0]!;
}

/** The summary's counts, and the line the import stopped at. */
function summary(run: Run) {
  const m =
    /^imported (\d+), skipped (\d+) existing, skipped (\d+) suppressed, rejected (\d+) \((\d+) data lines\); stopped at line (\d+);/m.exec(
      run.stdout,
    );
  expect(m, run.stdout).not.toBeNull();
  const [imported, existing, suppressed, rejected, lines, stoppedAt] = m!.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { imported, existing, suppressed, rejected, lines, stoppedAt };
}

describe('a full disk under subscribers import and add (SQLite on a real tmpfs)', () => {
  let temp: TempProject;
  let mnt: string;
  let cannotMount: string | undefined;
  let list: string;
  beforeAll(async () => {
    temp = await tempProject();
    mnt = path.join(temp.dir, 'disk');
    cannotMount = mountTmpfs(mnt, { size: '48m', cases: 'the disk-full import' });
    list = path.join(temp.dir, 'list.csv');
    await writeList(list, ROWS);
  });
  afterAll(async () => {
    if (!cannotMount) unmountTmpfs(mnt);
    await temp.cleanup();
  });

  it('import of 100,000 rows: one line, then the summary of the batches committed (equal to the database), exit 1; with space again the same import finishes', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const dbFile = path.join(mnt, 'import.db');
    const env = { NEWSLETTER_DATABASE_URL: `sqlite:${dbFile}` };
    expect((await newsletter(temp.dir, env, 'migrate')).code).toBe(0);
    const count = () => {
      const db = new SQLite(dbFile, { readonly: true });
      try {
        return db
          .prepare(
            "select count(*) as n, max(cast(substr(email, 7, instr(email, '@') - 7) as integer)) as last from subscribers",
          )
          .get() as { n: number; last: number };
      } finally {
        db.close();
      }
    };

    const filler = await fillBut(mnt, 3 * 1024 * 1024);
    const full = await newsletter(temp.dir, env, 'subscribers', 'import', 'list.csv');
    await rm(filler);

    expect(full.code).toBe(1);
    const line = oneLine(full);
    const s = summary(full);
    expect(line).toBe(
      `NEWSLETTER_DATABASE_URL: the database ${dbFile} cannot be written: the disk that holds it is full (SQLITE_FULL); the import stopped at line ${s.stoppedAt} of list.csv: that line and the ones after it were not imported; free some space there and run the same import again (the lines imported so far are skipped as existing)`,
    );
    // Whole batches of 1,000 were committed, and the summary says exactly what the database holds.
    expect(s.imported).toBeGreaterThan(0);
    expect(s.imported).toBeLessThan(ROWS);
    expect(s.imported % 1000).toBe(0);
    const held = count();
    expect(held.n).toBe(s.imported);
    expect(s).toMatchObject({ existing: 0, suppressed: 0, rejected: 0, lines: s.imported });
    // Line n + 1 holds reader n: everything before the stop line is in, nothing from it on.
    expect(held.last).toBe(s.stoppedAt - 3);
    expect(s.stoppedAt).toBe(s.imported + 2);

    const again = await newsletter(temp.dir, env, 'subscribers', 'import', 'list.csv');
    expect(again.stderr.replace(/.*rebuilt dist\/.*\n?/, '')).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(
        `^imported ${ROWS - s.imported}, skipped ${s.imported} existing, skipped 0 suppressed, rejected 0 \\(${ROWS} data lines\\)`,
      ),
    );
    expect(count().n).toBe(ROWS);
  }, 180_000);

  it('subscribers add: one line, exit 1, nothing added, whether the disk fills before the database is opened or while the site holds it open', async (ctx) => {
    if (cannotMount) ctx.skip(cannotMount);
    const dbFile = path.join(mnt, 'add.db');
    const env = { NEWSLETTER_DATABASE_URL: `sqlite:${dbFile}`, NEWSLETTER_OUTBOX_DIR: path.join(temp.dir, 'outbox') };
    expect((await newsletter(temp.dir, env, 'migrate')).code).toBe(0);

    // Nobody has the database open: SQLite cannot even make its shared-memory file.
    let filler = await fillBut(mnt, 0);
    const closed = await newsletter(temp.dir, env, 'subscribers', 'add', 'ann@example.org', '--confirmed');
    await rm(filler);
    expect(closed.code).toBe(1);
    expect(oneLine(closed)).toBe(
      `NEWSLETTER_DATABASE_URL: the database ${dbFile} cannot be written: the disk is full; free some space on that disk and try again; nothing was changed`,
    );

    // The site has it open (its -shm and -wal exist): the insert itself is refused.
    const site = new SQLite(dbFile);
    try {
      site.pragma('journal_mode = WAL');
      site.prepare('select count(*) from subscribers').get();
      filler = await fillBut(mnt, 0);
      const open = await newsletter(temp.dir, env, 'subscribers', 'add', 'bob@example.org', '--confirmed');
      await rm(filler);
      expect(open.code).toBe(1);
      expect(oneLine(open)).toBe(
        `NEWSLETTER_DATABASE_URL: the database ${dbFile} cannot be written: the disk that holds it is full (SQLITE_FULL); the change was not saved; free some space there and run the command again`,
      );
      expect(site.prepare('select count(*) as n from subscribers').get()).toEqual({ n: 0 });
    } finally {
      site.close();
    }
    expect((await newsletter(temp.dir, env, 'subscribers', 'add', 'bob@example.org', '--confirmed')).code).toBe(0);
  }, 60_000);
});

/**
 * PostgreSQL's own disk cannot be filled here (one server, shared with other tests): the test
 * database answers as a full disk does, with SQLSTATE 53100 (disk_full), from a trigger that
 * refuses the row of reader 25,000 onward, so the batch holding it fails inside the server.
 */
describeEachEngine(
  'a PostgreSQL server whose disk is full',
  (engine) => {
    const t = useTestStore(engine);
    let temp: TempProject;
    beforeAll(async () => {
      temp = await tempProject();
      await writeList(path.join(temp.dir, 'list.csv'), 30_000);
      await sql`create function refuse_when_full() returns trigger language plpgsql as $$
        begin
          if new.email like 'reader%' and substr(new.email, 7, position('@' in new.email) - 7)::int >= 25000 then
            raise exception 'could not extend file "base/16384/16385": No space left on device' using errcode = 'disk_full';
          end if;
          if new.email = 'full@example.org' then
            raise exception 'could not write to file "pg_wal/xlogtemp.123": No space left on device' using errcode = 'disk_full';
          end if;
          return new;
        end $$`.execute(t.db);
      await sql`create trigger disk_full before insert on subscribers for each row execute function refuse_when_full()`.execute(
        t.db,
      );
    });
    afterAll(() => temp.cleanup());

    it('import: one line, then the summary of the batches committed (equal to the database), exit 1; add: one line, exit 1', async () => {
      if (t.database.kind !== 'postgres') throw new Error('postgres only');
      const env = { NEWSLETTER_DATABASE_URL: t.database.url };
      const run = await newsletter(temp.dir, env, 'subscribers', 'import', 'list.csv');
      expect(run.code).toBe(1);
      const line = oneLine(run);
      const s = summary(run);
      expect(line).toMatch(
        /^NEWSLETTER_DATABASE_URL: the database postgres(ql)?:\/\/[^ ]+ cannot be written: the database server's disk is full \(53100\); the import stopped at line 25002 of list\.csv: that line and the ones after it were not imported; free some space there and run the same import again/,
      );
      expect(s).toEqual({
        imported: 25_000,
        existing: 0,
        suppressed: 0,
        rejected: 0,
        lines: 25_000,
        stoppedAt: 25_002,
      });
      const { n } = await t.db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n)).toBe(s.imported);

      const add = await newsletter(
        temp.dir,
        { ...env, NEWSLETTER_OUTBOX_DIR: path.join(temp.dir, 'outbox') },
        'subscribers',
        'add',
        'full@example.org',
        '--confirmed',
      );
      expect(add.code).toBe(1);
      expect(oneLine(add)).toMatch(
        /^NEWSLETTER_DATABASE_URL: the database postgres(ql)?:\/\/[^ ]+ cannot be written: the database server's disk is full \(53100\); the change was not saved; free some space there and run the command again$/,
      );
    }, 120_000);
  },
  'postgres',
);
