import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';

const recorder = path.join(repoRoot, 'tests/support/record-modules.mjs');
const srcUrl = new URL('src/', `file://${repoRoot}/`).href;
const HEAVY = [
  'mjml',
  'handlebars',
  'fastify',
  'kysely',
  'better-sqlite3',
  'nodemailer',
  'mailparser',
  'dotenv',
  'luxon',
  'node-cron',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ncw-modules-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `newsletter ...args` in a fresh Node process; what it printed and every module it resolved. */
async function modulesLoadedBy(args: string[]): Promise<{ stdout: string; src: string[]; packages: string[] }> {
  const log = path.join(dir, `${args.join('_').replace(/\W+/g, '-')}.txt`);
  const script = `const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(${JSON.stringify(args)});`;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', recorder, '--input-type=module', '-e', script],
      { cwd: repoRoot, env: { ...process.env, RECORD_MODULES_TO: log }, timeout: 30_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  const urls = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))];
  return {
    stdout,
    src: urls
      .filter((u) => u.startsWith(srcUrl))
      .map((u) => fileURLToPath(u).slice(path.join(repoRoot, 'src/').length))
      .sort(),
    packages: urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []),
  };
}

describe('commands load lazily', () => {
  it('`newsletter --help` loads the command list and nothing behind it', async () => {
    const run = await modulesLoadedBy(['--help']);
    expect(run.stdout).toContain('Usage: newsletter <command>');
    expect(run.src).toContain('cli/main.ts');
    expect(run.src.filter((f) => !['cli/main.ts', 'cli/command.ts', 'cli/commands.ts'].includes(f))).toEqual([]);
    expect(run.packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  }, 40_000);

  it('a command asked for loads its own code (the recorder sees modules loaded on demand)', async () => {
    const run = await modulesLoadedBy(['check', '--help']);
    expect(run.stdout).toContain('newsletter check');
    expect(run.src).toEqual(expect.arrayContaining(['cli/check.ts', 'check/run-checks.ts']));
    // The email checks parse HTML; MJML itself now loads only when a compile misses the cache.
    expect(run.packages).toEqual(expect.arrayContaining(['htmlparser2']));
  }, 40_000);
});
