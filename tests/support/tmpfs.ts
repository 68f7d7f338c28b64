import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { open, statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Mounts a small tmpfs at `dir` for the storage-fault tests (a disk we can fill or turn
 * read-only). It needs root, as CI has: under CI=true a failure to mount fails the test file;
 * elsewhere the returned reason is what the skipped cases print.
 */
export function mountTmpfs(dir: string, options: { size: string; cases: string }): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${options.size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const why = `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]}); run as root to include ${options.cases}`;
    if (process.env.CI === 'true') throw new Error(`${options.cases} must run in CI: ${why}`, { cause: e });
    return why;
  }
}

export function unmountTmpfs(dir: string): void {
  execFileSync('umount', [dir]);
}

/** Fills the disk that holds `dir` but `leave` bytes, with one file; its path (remove it to free the space). */
export async function fillBut(dir: string, leave: number): Promise<string> {
  const file = path.join(dir, 'filler');
  const fs = await statfs(dir);
  let left = fs.bavail * fs.bsize - leave;
  const handle = await open(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    while (left > 0) {
      const n = Math.min(block.length, left);
      await handle.write(block, 0, n);
      left -= n;
    }
  } finally {
    await handle.close();
  }
  return file;
}
