import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'html-to-text';
import { describe, expect, it } from 'vitest';
import { type Harness, useHarness } from '../harness.ts';

const PAGES = ['/', '/help', '/tips/cramp-or-something-else', '/tips/when-to-call-a-doctor'];
const text = (html: string) =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
    ],
  }).replace(/\s+/g, ' ');

async function page(h: Harness, p: string): Promise<string> {
  const res = await fetch(`${h.url}${p}`);
  expect(res.status, p).toBe(200);
  return text(await res.text());
}

/** Waits for the watched content to show a change (the site is never restarted). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the public pages take their warning signs from help.md', () => {
  const h = useHarness();

  it('the help page opens with 911 before "today", as every footer does, and says where to go at night', async () => {
    const help = await page(h, '/help');
    // From the page's own heading (the navigation names it first), so the top callout comes first.
    const top = help.slice(help.indexOf('When to get help', help.indexOf('When to get help') + 1));
    expect(top.indexOf('Call 911 (or your local emergency number) now')).toBeGreaterThanOrEqual(0);
    expect(top.indexOf('Call 911 (or your local emergency number) now')).toBeLessThan(
      top.indexOf('Get medical help today'),
    );
    expect(help).not.toMatch(/same day/i);
    expect(help).toContain('If the office is closed, go to an urgent care center or an emergency room.');
    for (const p of PAGES) {
      const body = await page(h, p);
      const footer = body.slice(body.lastIndexOf('Call 911 (or your local emergency number) now:'));
      expect(footer, `${p} footer`).toMatch(
        /^Call 911 \(or your local emergency number\) now: short of breath, chest pain or coughing up blood; .*Get medical help today: one leg that is painful and swollen\./,
      );
    }
  });

  it('an edit of one sign in help.md shows on /help, week 2, week 12 and every footer, without a restart', async () => {
    const file = path.join(h.temp.dir, 'content/pages/help.md');
    const before = await readFile(file, 'utf8');
    await writeFile(
      file,
      before.replace(
        '**A foot or leg that suddenly turns cold, pale or numb and hurts a lot.**',
        '**A foot or leg that suddenly turns cold, white or numb and hurts badly.**',
      ),
    );
    const sign = 'A foot or leg that suddenly turns cold, white or numb and hurts badly.';
    await until(async () => (await page(h, '/help')).includes(sign), 'the edited sign on /help');
    expect(await page(h, '/tips/when-to-call-a-doctor')).toContain(sign);
    for (const p of PAGES)
      expect(await page(h, p), `${p} footer`).toContain(
        'a foot or leg that suddenly turns cold, white or numb and hurts badly;',
      );
    // Week 2 includes only the lungs sign of that tier: the cold foot is not dragged into it.
    expect(await page(h, '/tips/cramp-or-something-else')).not.toContain(
      `Call 911 (or your local emergency number) now ${sign}`,
    );
  });

  it('a tip page shows the tonight box before the sign-off, as the email does', async () => {
    const tip = await page(h, '/tips/stop-it-in-its-tracks');
    const box = tip.indexOf('Try this tonight');
    expect(box).toBeGreaterThan(0);
    expect(tip.indexOf('Next week: three more ways to help a cramp let go.')).toBeGreaterThan(box);
  });
});
