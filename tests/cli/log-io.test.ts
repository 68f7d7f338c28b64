import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';

/** util-linux `script` gives the command a pseudo-terminal; without it the terminal case skips. */
const hasScript = spawnSync('script', ['--version']).status === 0;

const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
};

/**
 * `newsletter start --role sender` until its scheduler is up, then stopped: under a
 * pseudo-terminal (`script`, stopped with Ctrl-C typed into it) or with stdout a pipe (SIGTERM).
 */
async function startSender(dir: string, terminal: boolean): Promise<string> {
  const command = [process.execPath, path.join(repoRoot, 'bin/newsletter.js'), 'start', '--role', 'sender'];
  const child = terminal
    ? spawn('script', ['-qec', command.map((w) => `'${w}'`).join(' '), '/dev/null'], { cwd: dir, env })
    : spawn(command[0]!, command.slice(1), { cwd: dir, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    for (let i = 0; i < 400 && !/dispatch pass on/.test(out) && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    if (terminal) child.stdin.write('\x03');
    else child.kill('SIGTERM');
  }
  await closed;
  return out.replace(/\r\n/g, '\n');
}

describe("start's log: text on a terminal, JSON in a pipe", () => {
  let tp: TempProject;
  beforeAll(async () => {
    tp = await tempProject();
  });
  afterAll(() => tp.cleanup());

  it('prints JSON lines when stdout is a pipe', async () => {
    const out = await startSender(tp.dir, false);
    const lines = out.split('\n').filter((l) => l.includes('sender only'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: expect.stringContaining('sender only') });
  });

  it.skipIf(!hasScript)('prints lines for people when stdout is a terminal', async () => {
    const out = await startSender(tp.dir, true);
    expect(out).toMatch(/^\d\d:\d\d:\d\d INFO {2}Night Cramp Weekly: sender only \(--role sender\)/m);
    expect(out).toMatch(/\d\d:\d\d:\d\d INFO {2}SIGINT: stopping$/m);
    expect(out).not.toMatch(/^\{"level"/m);
  });
});
