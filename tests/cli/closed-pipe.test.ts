import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from '../support/temp-project.ts';

describe('output into a pipe that closes early', () => {
  it('`newsletter stats | head -0` ends quietly with exit 0, not an EPIPE stack trace', async () => {
    const tp = await tempProject();
    try {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'stats'], {
        cwd: tp.dir,
        env: { ...process.env, NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The reader goes away before the command writes anything, as `head` does when it has enough.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(stderr).not.toContain('EPIPE');
      expect(code).toBe(0);
    } finally {
      await tp.cleanup();
    }
  }, 30_000);
});
