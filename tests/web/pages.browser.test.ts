import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeReaderData } from '../../src/store/reader-data.ts';
import { pass } from '../delivery/helpers.ts';
import { browserAvailable, seriousAxeViolations, useBrowser } from '../support/browser.ts';
import { linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

const WIDTHS = [1280, 375];

/**
 * The pages as a reader meets them, at a desktop and a phone width, in Chromium: the start
 * page's one heading, the privacy page in plain words, the feedback page's next step, and the
 * short pages (check your inbox, you are in, unsubscribed) sized to what they say.
 */
describe.skipIf(!browserAvailable())('the pages readers see, at 1280 and 375 px', () => {
  const h = useHarness();
  const browser = useBrowser();

  async function seriousAxe(page: Page): Promise<string[]> {
    return (await seriousAxeViolations(page)).map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }

  /** How the page's content sits in its card: the blank space under the last thing in it, and whether it scrolls sideways. */
  const fit = (page: Page) =>
    page.evaluate(() => {
      const main = document.querySelector('main')!;
      const last = main.lastElementChild!;
      const box = main.getBoundingClientRect();
      return {
        blankBelow: Math.round(
          box.bottom - last.getBoundingClientRect().bottom - parseFloat(getComputedStyle(last).marginBottom),
        ),
        paddingBottom: parseFloat(getComputedStyle(main).paddingBottom),
        height: Math.round(box.height),
        sideways: document.documentElement.scrollWidth > window.innerWidth,
      };
    });

  for (const width of WIDTHS) {
    it(`${width} px: the start page has one h1, and it says what the page is for, not the masthead's name`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`${h.url}/`);
        const headings = await page.locator('h1').allInnerTexts();
        const masthead = await page.locator('header.masthead > a').innerText();
        expect(headings).toHaveLength(1);
        expect(masthead).toBe(h.project.series.name);
        expect(headings[0]!.trim().toLowerCase()).not.toBe(masthead.toLowerCase());
        expect(headings[0]).toMatch(/tips?\b/i);
        // axe on / and /privacy: tests/web/public-pages.browser.test.ts.
      } finally {
        await page.close();
      }
    });

    it(`${width} px: /privacy names each stored field in plain words; column names are only a detail, never a heading`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`${h.url}/privacy`);
        const report = await describeReaderData(h.db);
        const columns = new Set(report.tables.flatMap((t) => t.columns.map((c) => c.name)));
        const headings = (await page.locator('main h1, main h2, main h3, main dt').allInnerTexts()).map((t) =>
          t.trim(),
        );
        const raw = headings.filter((t) => columns.has(t) || /\b[a-z]+_[a-z_]+\b/.test(t));
        expect(raw).toEqual([]);
        const terms = await page.locator('main dl.fields dt').allInnerTexts();
        expect(terms).toEqual(report.tables.flatMap((t) => t.columns.map((c) => c.label)));
        expect(terms).toContain('Link code');
        // The curious still find the database's name, small, after the description.
        const details = await page.locator('main dl.fields dd .column code').allInnerTexts();
        expect(details).toEqual(report.tables.flatMap((t) => t.columns.map((c) => c.name)));
        const style = await page
          .locator('main dl.fields dt')
          .first()
          .evaluate((e) => getComputedStyle(e).fontFamily);
        expect(style).not.toMatch(/mono/i);
      } finally {
        await page.close();
      }
    });

    it(`${width} px: the short pages (check your inbox, you are in, unsubscribed) fit their content: no empty card`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        const email = `short-${width}@example.org`;
        const short = async (name: string) => {
          const f = await fit(page);
          expect(f.sideways, name).toBe(false);
          // No more blank space under the last line than the card's own padding (and a rounding pixel).
          expect(f.blankBelow, `${name}: ${JSON.stringify(f)}`).toBeLessThanOrEqual(f.paddingBottom + 1);
          expect(await seriousAxe(page), name).toEqual([]);
        };

        await page.goto(`${h.url}/`);
        await page.getByLabel('Your email address').fill(email);
        await page.getByRole('button', { name: 'Subscribe' }).click();
        await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
        await short('check your inbox');

        const [confirmation] = await h.mailTo(email);
        await page.goto(onSite(h, linkIn(confirmation!.parsed, 'confirm')));
        await page.getByRole('button', { name: 'Yes, start my weekly tips' }).click();
        await page.getByRole('heading', { name: 'You are in' }).waitFor();
        await short('you are in');

        const welcome = (await h.mailTo(email, 2))[1]!;
        await page.goto(onSite(h, linkIn(welcome.parsed, 'unsubscribe')));
        await page.getByRole('button', { name: 'Unsubscribe' }).click();
        await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
        await short('unsubscribed');
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`${width} px: after an answer is saved, the comment's Send is the primary button and "Change my answer" the secondary`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        const email = `feedback-${width}@example.org`;
        await subscribeAndConfirm(h, email);
        const s = (await h.subscriber(email))!;
        expect((await pass(h.db, h.mailer, h.project, h.app.config, s.nextSendAt!)).sent).toBe(1);
        const tip = (await h.mailTo(email, 3))[2]!.parsed;
        await page.goto(onSite(h, /Yes:\n(\S+)/.exec(tip.text!)![1]!));
        await page.getByRole('button', { name: 'Send my answer' }).click();
        await page.getByRole('heading', { name: 'Thank you' }).waitFor();
        const look = (name: string) =>
          page.getByRole('button', { name, exact: true }).evaluate((b) => ({
            secondary: b.classList.contains('secondary'),
            background: getComputedStyle(b).backgroundColor,
          }));
        const brand = 'rgb(29, 95, 138)';
        expect(await look('Send')).toEqual({ secondary: false, background: brand });
        expect(await look('Change my answer')).toEqual({ secondary: true, background: 'rgb(255, 255, 255)' });
        expect(await seriousAxe(page)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
