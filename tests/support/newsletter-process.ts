import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DatabaseConfig } from '../../src/config.ts';
import { repoRoot } from './temp-project.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface NewsletterProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when it exits; a process still running after `limitMs` is SIGKILLed so no test hangs. */
  done: Promise<Exit>;
  running(): boolean;
}

/**
 * The compiled `newsletter ARGS` in its own process, in `cwd`, with the test's environment only
 * (no NEWSLETTER_* of the machine's) and a test signing key unless `env` gives one.
 */
export function newsletterProcess(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  limitMs = 120_000,
): NewsletterProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NEWSLETTER_')));
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), ...args], {
    cwd,
    env: { ...base, NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const done = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** NEWSLETTER_DATABASE_URL for a test store. */
export function databaseUrl(database: DatabaseConfig): string {
  return database.kind === 'postgres' ? database.url : `sqlite:${database.file}`;
}

/** Polls `check` every 20 ms until it holds; false if it never did within `limitMs`. */
export async function until(check: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
