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
