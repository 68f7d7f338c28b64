import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../support/start-process.ts';
import { useTempProject } from '../support/use-resource.ts';

const TIP = 'content/tips/03-stop-it-in-its-tracks.md';

describe('newsletter start --role site serves the public pages from the content folder', () => {
  const temp = useTempProject();

  it('an edited tip shows on its page, and a tip made a draft disappears, without a restart', async () => {
    const started = await startProcess(
      temp.dir,
      ['--role', 'site'],
      {
        NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
        NEWSLETTER_BASE_URL: 'https://cramps.example.org',
      },
      undefined,
      20_000,
    );
    const { url } = started;
    const file = path.join(temp.dir, TIP);
    let code: number | null;
    try {
      const page = async () => {
        const res = await fetch(`${url}/tips/stop-it-in-its-tracks`);
        return { status: res.status, body: await res.text() };
      };
      const first = await page();
      expect(first.status).toBe(200);
      expect(first.body).toContain('<h1>Stop a cramp in its tracks</h1>');
      expect(first.body).toContain(
        '<link rel="canonical" href="https://cramps.example.org/tips/stop-it-in-its-tracks">',
      );
      // The privacy page lists the columns of the database this process migrated.
      expect(await (await fetch(`${url}/privacy`)).text()).toContain('<code>consent_user_agent</code>');

      const original = await readFile(file, 'utf8');
      await writeFile(file, original.replace(/^title: .*$/m, 'title: Ease a cramp in two moves'));
      let body = '';
      for (let i = 0; i < 100 && !body.includes('<h1>Ease a cramp in two moves</h1>'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        body = (await page()).body;
      }
      expect(body).toContain('<h1>Ease a cramp in two moves</h1>');

      await writeFile(file, original.replace(/^week: 3$/m, 'week: 3\ndraft: true'));
      let status = 200;
      for (let i = 0; i < 100 && status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await page()).status;
      }
      expect(status).toBe(404);
      expect(await (await fetch(`${url}/feed.xml`)).text()).not.toContain('stop-it-in-its-tracks');
    } finally {
      code = await started.stop();
    }
    expect(code).toBe(0);
  });
});
