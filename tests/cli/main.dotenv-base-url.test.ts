import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/**
 * A site on PORT=3100 set in `.env`: every command reads `.env` as `start` does, so its emails
 * link to port 3100 (not 3000), and each summary says which base URL its links use.
 */
describe('every command reads .env the same way and says its base URL', () => {
  let tp: TempProject;
  beforeAll(async () => {
    tp = await tempProject();
    await writeFile(path.join(tp.dir, '.env'), 'PORT=3100\n');
  });
  afterAll(() => tp.cleanup());

  const note = 'links use http://localhost:3100';

  it('subscribers add, send --dry-run, render, render --all, check, import', async () => {
    const add = await runCli(['subscribers', 'add', 'ann@example.org', '--confirmed'], tp.dir);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`; ${note}`);
    const outbox = path.join(tp.dir, 'outbox');
    const [welcome] = await readdir(outbox);
    const eml = await readFile(path.join(outbox, welcome!), 'utf8');
    expect(eml).toContain('http://localhost:3100/preferences?token=');
    expect(eml).not.toContain('localhost:3000');

    const dry = await runCli(['send', '--dry-run'], tp.dir);
    expect(dry.stdout.split('\n').at(-1)).toContain(`; ${note}`);

    const html = await runCli(['render', '1'], tp.dir);
    expect(html.stdout).toContain('http://localhost:3100/feedback?token=');
    expect(html.stdout).not.toContain('localhost:3000');

    expect((await runCli(['render', '--all', '--out', 'out'], tp.dir)).stdout).toContain(`; ${note}`);
    expect((await runCli(['check'], tp.dir)).stdout.split('\n').at(-1)).toContain(`; ${note}`);

    await writeFile(path.join(tp.dir, 'list.csv'), 'email,name,timezone\nbo@example.org,Bo,Europe/Kiev\n');
    const imported = await runCli(['subscribers', 'import', 'list.csv'], tp.dir);
    expect(imported.stdout).toBe(
      `imported 1, skipped 0 existing, skipped 0 suppressed, rejected 0 (1 data lines); ${note}`,
    );

    // The real environment wins over .env, for every command alike.
    expect(
      (await runCli(['send', '--dry-run'], tp.dir, { NEWSLETTER_BASE_URL: 'https://news.example.org' })).stdout,
    ).toContain('links use https://news.example.org');
  });
});
