import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from '../support/start-process.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The composition root resolves the link-signing key once. A key file removed under a running
 * `start` must not be made anew by the next pass: the site keeps the old key, so every link
 * signed with a new one would be rejected.
 */
describe('the signing key under a running start', () => {
  let temp: TempProject;
  beforeAll(async () => {
    temp = await tempProject();
  });
  afterAll(() => temp.cleanup());

  it('removed, stops the next pass with the one-line "key missing" error and is never written again', async () => {
    const keyFile = path.join(temp.dir, 'subscribers', '.secret');
    const started = await startProcess(temp.dir, [], { NEWSLETTER_CRON: '* * * * * *' }, (out) =>
      out.includes('emails go through'),
    );
    try {
      // A reader in the database: from now on a new key would break the links they were sent.
      const res = await fetch(`${started.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'reader@example.org' }),
      });
      expect(res.status).toBe(200);
      expect(existsSync(keyFile)).toBe(true);

      await rm(keyFile);
      const missing = () => started.lines().filter((l) => String(l.msg).includes('link-signing key is missing'));
      for (let i = 0; i < 100 && missing().length === 0; i++) await wait(50);
      // One more tick: it stops again, and still writes nothing.
      await wait(1_500);
      expect(missing().length).toBeGreaterThanOrEqual(1);
      expect(String(missing()[0]!.msg)).toMatch(
        /^\[scheduler\] pass failed: subscribers\/\.secret: the link-signing key is missing but the database has readers/,
      );
      expect(String(missing()[0]!.msg)).not.toContain('\n');
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      await started.stop();
    }
  }, 40_000);
});
