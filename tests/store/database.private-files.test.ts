import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { repoRoot } from '../support/temp-project.ts';
import { useTempProject } from '../support/use-resource.ts';

const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe("files with readers' data are private (0600) whatever the umask", () => {
  const temp = useTempProject();

  it('the SQLite database, its -wal and -shm, and every outbox .eml, under umask 000', async () => {
    // The compiled command in a shell with the loosest umask: anything it creates would be 0666 by default.
    const run = (args: string) =>
      exec('sh', ['-c', `umask 000 && "${process.execPath}" "${bin}" ${args}`], {
        cwd: temp.dir,
        env: { ...process.env, NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' },
      });
    await run('subscribers add ann@example.org --name Ann');
    const db = path.join(temp.dir, 'subscribers/newsletter.db');
    expect(await mode(db)).toBe(0o600);
    // SQLite removes -wal and -shm at the last close: look while a connection holds them.
    const open = openStore({ kind: 'sqlite', file: db });
    try {
      await open.selectFrom('subscribers').select('id').execute();
      for (const side of ['-wal', '-shm']) expect(await mode(`${db}${side}`), side).toBe(0o600);
    } finally {
      await open.destroy();
    }
    const outbox = path.join(temp.dir, 'outbox');
    const emails = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(emails.length).toBe(1);
    expect(await mode(path.join(outbox, emails[0]!))).toBe(0o600);
    expect(await mode(outbox)).toBe(0o700);
  });
});
