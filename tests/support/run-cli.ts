import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a `newsletter` command in-process against a project folder, capturing its output. */
export async function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  now = new Date(),
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', ...env },
    cwd,
    now: () => now,
    isTty: false,
  };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
