import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './temp-project.ts';

export interface StartedProcess {
  /** The site's address, from its "listening on" line. */
  url: string;
  /** Everything it wrote to stdout so far. */
  out(): string;
  err(): string;
  /** Every stdout line so far, parsed (`start` writes JSON lines). */
  lines(): Record<string, unknown>[];
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * The compiled `newsletter start ARGS` in `dir`, with PORT=0 on loopback and only the given
 * environment; resolves once it has printed where it listens and `ready(stdout)` holds.
 */
export async function startProcess(
  dir: string,
  args: string[],
  env: Record<string, string>,
  ready: (out: string) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<StartedProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`no address printed; stdout: ${out} stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && ready(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited early; stdout: ${out} stderr: ${err}`));
    });
  });
  return {
    url,
    out: () => out,
    err: () => err,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface StartedRole {
  /** stdout and stderr so far, as one text. */
  out(): string;
  /** Polls every 50 ms until `pattern` is in the output, the process has exited, or `limitMs` passed. */
  until(pattern: RegExp, limitMs: number): Promise<void>;
  /** SIGTERM, then its exit code once its output is all read. */
  stop(): Promise<number | null>;
}

/**
 * The compiled `newsletter start --role ROLE` in `dir`, with only PATH, HOME, PORT=0, a test
 * signing key and `env`: no HOST unless `env` gives one (the default is what some tests check).
 */
export function startRole(dir: string, role: string, env: Record<string, string>): StartedRole {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start', '--role', role], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // 'close', not 'exit': the last lines may still be in the pipe when the process has gone.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    out: () => out,
    async until(pattern, limitMs) {
      for (let i = 0; i < limitMs / 50 && !pattern.test(out) && child.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 50));
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
