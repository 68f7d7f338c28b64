import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';

const exec = promisify(execFile);

/** A copy of the package (bin, scripts, src, package.json; node_modules linked) in a temp folder. */
async function packageCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-build-'));
  for (const part of ['bin', 'scripts', 'src', 'package.json'])
    await cp(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** `node <dir>/bin/newsletter.js ...args` in `dir`: exit code and output. */
async function runIn(dir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(dir, 'bin/newsletter.js'), ...args], {
      cwd: dir,
      // Neither the developer's NEWSLETTER_DEV nor anything else from outside decides these cases.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * `newsletter` runs dist/, never a TypeScript loader. In a developer's checkout (a .git entry),
 * after src/ changes it must rebuild (or, with no compiler installed, say what to run): a stale
 * build never runs silently. Each case runs in a copy of the package so the checkout's own dist/
 * is left alone.
 */
describe('the compiled build, in a git checkout', () => {
  let dir: string;
  const run = (...args: string[]) => runIn(dir, args);

  beforeAll(async () => {
    dir = await packageCopy();
    await mkdir(path.join(dir, '.git'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds dist/ on first use, then runs it without rebuilding', async () => {
    const first = await run('--help');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('rebuilt dist/');
    const second = await run('--help');
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('Usage: newsletter <command>');
  });

  it('rebuilds after src/ changes and runs the new code', async () => {
    await appendFile(path.join(dir, 'src/cli/main.ts'), '\nprocess.stderr.write("edited source is running\\n");\n');
    const after = await run('--help');
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('rebuilt dist/');
    expect(after.stderr).toContain('edited source is running');
  });

  it('rebuilds when a package bundled into dist/vendor/ is upgraded', async () => {
    expect((await run('--help')).stderr).not.toContain('rebuilt');
    // The same node_modules, but kysely's own folder with another version, as after an upgrade.
    const modules = path.join(dir, 'node_modules');
    await rm(modules);
    await mkdir(modules);
    for (const name of await readdir(path.join(repoRoot, 'node_modules'))) {
      if (name !== 'kysely') await symlink(path.join(repoRoot, 'node_modules', name), path.join(modules, name));
    }
    await cp(path.join(repoRoot, 'node_modules', 'kysely'), path.join(modules, 'kysely'), { recursive: true });
    const manifest = path.join(modules, 'kysely', 'package.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace(/"version":\s*"[^"]+"/, '"version": "0.28.999"'),
    );
    const upgraded = await run('--help');
    expect(upgraded.code).toBe(0);
    expect(upgraded.stderr).toContain('rebuilt dist/');
    expect((await run('--help')).stderr).not.toContain('rebuilt');
    await rm(modules, { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules'), modules);
  });

  it('says what to run when src/ changed and the compiler is missing', async () => {
    // A node_modules without esbuild, as after a hand-made install that skipped it.
    const modules = path.join(dir, 'node_modules');
    await rm(modules);
    await mkdir(modules);
    for (const name of await readdir(path.join(repoRoot, 'node_modules'))) {
      if (name !== 'esbuild' && name !== '.bin')
        await symlink(path.join(repoRoot, 'node_modules', name), path.join(modules, name));
    }
    await appendFile(path.join(dir, 'src/cli/main.ts'), '\n// another edit\n');
    const stale = await run('--help');
    expect(stale.code).toBe(1);
    expect(stale.stderr.trim().split('\n')).toHaveLength(1);
    expect(stale.stderr).toContain('run `npm ci` (or `npm run build`)');
  });
});

/**
 * An installed copy (no .git beside package.json) never writes into itself: a server process
 * rebuilding its own code is a process that can write its code. A stale dist/ stops with the
 * command to run; NEWSLETTER_DEV=1 is a developer's way back to rebuilding.
 */
describe('the compiled build, in an install', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await packageCopy();
    await exec(process.execPath, [path.join(dir, 'scripts/build.mjs')], { cwd: dir, timeout: 60_000 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs its dist/ as built', async () => {
    const ok = await runIn(dir, ['--help']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('Usage: newsletter <command>');
  });

  it('stops with one line and the command to run when src/ is newer than dist/, and writes nothing', async () => {
    const stamp = path.join(dir, 'dist/.source-fingerprint');
    const before = await readFile(stamp, 'utf8');
    const file = path.join(dir, 'src/cli/main.ts');
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    const stale = await runIn(dir, ['--help']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr.trim().split('\n')).toHaveLength(1);
    expect(stale.stderr).toContain('dist/ is missing or older than src/');
    expect(stale.stderr).toContain('run `npm run build`');
    expect(await readFile(stamp, 'utf8')).toBe(before);
  });

  it('rebuilds with NEWSLETTER_DEV=1, and then runs without it', async () => {
    const dev = await runIn(dir, ['--help'], { NEWSLETTER_DEV: '1' });
    expect(dev.code).toBe(0);
    expect(dev.stderr).toContain('rebuilt dist/');
    const after = await runIn(dir, ['--help']);
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
  });
});
