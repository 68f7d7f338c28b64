import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../support/start-process.ts';
import { useTempProject } from '../support/use-resource.ts';

describe('newsletter start', () => {
  const temp = useTempProject();

  it('migrates, serves the site on HOST/PORT, says where and through what, writes mail to the outbox, stops on SIGTERM', async () => {
    const started = await startProcess(
      temp.dir,
      [],
      { NEWSLETTER_CRON: '* * * * * *', NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' },
      (out) => out.includes('emails go through'),
      20_000,
    );
    const { url } = started;
    let out = started.out();
    let code: number | null;
    try {
      expect(out).toContain('database: applied 001-initial');
      expect(out).toMatch(/emails go through the outbox folder .*outbox/);
      expect(out).not.toContain('test-secret');

      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      const res = await fetch(`${url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'newcomer@example.org' }),
      });
      expect(res.status).toBe(200);
      let files: string[] = [];
      for (let i = 0; i < 100 && files.length === 0; i++) {
        files = (await readdir(path.join(temp.dir, 'outbox')).catch(() => [])).filter((f) => f.endsWith('.eml'));
        if (!files.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(files).toHaveLength(1);
      expect(files[0]).toContain('confirm');
      // The Message-ID's local part, whole: no domain cut off mid-word.
      expect(files[0]).toMatch(/-ncw\.confirm\.[A-Za-z0-9_-]+\.\d+\.eml$/);

      // One masked line per subscription event, one per pass; where emails go is said once.
      for (
        let i = 0;
        i < 100 && !((out = started.out()).includes('"event":"subscribe"') && out.includes('"event":"pass"'));
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      const lines = started.lines();
      expect(lines.filter((l) => String(l.msg).includes('outbox folder'))).toHaveLength(1);
      const subscribed = lines.filter((l) => l.event === 'subscribe');
      expect(subscribed).toEqual([
        expect.objectContaining({ address: '***@example.org', outcome: 'confirmation-sent', subscriber: 1 }),
      ]);
      expect(lines.filter((l) => l.event === 'pass').length).toBeGreaterThanOrEqual(1);
      expect(out).not.toContain('newcomer');
    } finally {
      code = await started.stop();
    }
    expect(code).toBe(0);
    expect(started.out()).toContain('SIGTERM: stopping');
  });
});
