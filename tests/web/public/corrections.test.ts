import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { describe, expect, it } from 'vitest';
import { publishedTips } from '../../../src/content/index.ts';
import { useHarness } from '../harness.ts';

const BASE = 'http://localhost:3000';

/** Waits for the watched content to show a change (the site is never restarted). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a corrected tip on the site and in the feed', () => {
  const h = useHarness({ env: { NEWSLETTER_BASE_URL: BASE } });

  it('the page shows "Corrected DATE: …" notes newest first, escaped; the Atom entry moves and carries them', async () => {
    const tip = publishedTips(h.project.tips)[2]!;
    const file = path.join(h.temp.dir, tip.file);
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(
        /^week: (\d+)$/m,
        [
          'week: $1',
          'corrections:',
          '  - date: 2026-12-06',
          '    text: "We said hold it for 10 minutes; hold it for 30 seconds."',
          '  - date: 2026-12-09',
          '    text: "The dose was 200 mg, not 2,000 mg."',
          '  - date: 2026-12-08',
          '    text: \'A "hot" bath & ice are not the same.\'',
        ].join('\n'),
      ),
    );
    const page = async () => (await fetch(`${h.url}/tips/${tip.slug}`)).text();
    await until(async () => (await page()).includes('class="corrections"'), 'the correction notes');
    const body = await page();
    const notes = [...body.matchAll(/<p class="correction"><strong>Corrected <time datetime="([\d-]+)">/g)].map(
      (m) => m[1],
    );
    expect(notes).toEqual(['2026-12-09', '2026-12-08', '2026-12-06']);
    expect(body).toContain('A &quot;hot&quot; bath &amp; ice are not the same.');
    expect(body).not.toContain('A "hot" bath & ice');

    const xml = await (await fetch(`${h.url}/feed.xml`)).text();
    // Escaped as HTML, then as XML: the text can never become markup in a feed reader.
    expect(xml).toContain('A &amp;quot;hot&amp;quot; bath &amp;amp; ice are not the same.');
    const feed = parseFeed(xml);
    const entry = feed.items.find((i) => i.url === `${BASE}/tips/${tip.slug}`)!;
    expect(entry.updated?.toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(entry.content).toContain('<strong>Corrected 2026-12-09:</strong> The dose was 200 mg, not 2,000 mg.');
    expect(entry.content).toContain('A "hot" bath & ice are not the same.');
    expect(feed.updated?.toISOString()).toBe('2026-12-09T00:00:00.000Z');
  });
});
