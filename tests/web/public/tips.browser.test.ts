import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/web/security.ts';
import { browserAvailable, seriousAxeViolations, useBrowser } from '../../support/browser.ts';
import { contrastOfEveryText } from '../../support/contrast.ts';
import { THREE_KINDS, writeThreeKindsTip } from '../../render/three-kinds.ts';
import { useHarness } from '../harness.ts';

/**
 * A tip's public page (/tips/:slug) shows the same three kinds of box as the email, styled by
 * the site's own style sheet: a warning labelled "Important", a quiet quote and the tonight box.
 * The site's Content-Security-Policy allows no inline style, so no element may carry one.
 */
describe.skipIf(!browserAvailable())('the warning, the quote and the tonight box on a tip page, in Chromium', () => {
  const h = useHarness();
  const browser = useBrowser();
  beforeAll(async () => {
    // The site follows the content folder: the new tip appears once the watcher has reloaded.
    await writeThreeKindsTip(h.temp.dir);
    for (let i = 0; i < 200 && !h.content.current().tips.some((t) => t.slug === THREE_KINDS.slug); i++)
      await new Promise((r) => setTimeout(r, 50));
    if (!h.content.current().tips.some((t) => t.slug === THREE_KINDS.slug))
      throw new Error(`the test tip never reached the site: ${h.logs.join(' | ')}`);
  });

  for (const width of [1280, 375]) {
    it(`at ${width} px: three different looks from the style sheet, no style attribute anywhere, the CSP unchanged`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      try {
        const res = await page.goto(`${h.url}/tips/${THREE_KINDS.slug}`);
        expect(res?.status()).toBe(200);
        expect(res?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
        expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
        expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');

        expect(
          await page.evaluate(() =>
            Array.from(document.querySelectorAll('[style]')).map((e) => e.outerHTML.slice(0, 80)),
          ),
        ).toEqual([]);
        expect(await page.content()).not.toContain('[!WARNING]');

        const looks = await page.evaluate(() => {
          const look = (el: Element | null) => {
            if (!el) return null;
            const s = getComputedStyle(el);
            return {
              tag: el.tagName.toLowerCase(),
              background: s.backgroundColor,
              edge: `${s.borderLeftWidth} ${s.borderLeftStyle} ${s.borderLeftColor}`,
              text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
            };
          };
          const label = document.querySelector('article .important .important-label');
          return {
            warning: look(document.querySelector('article .important')),
            role: document.querySelector('article .important')?.getAttribute('role'),
            label: label && {
              text: (label as HTMLElement).innerText,
              color: getComputedStyle(label).color,
              weight: getComputedStyle(label).fontWeight,
            },
            quote: look(document.querySelector('article .quote')),
            tonight: look(document.querySelector('article .tonight')),
          };
        });
        expect(looks.warning).toEqual({
          tag: 'div',
          background: 'rgb(254, 243, 242)',
          edge: '6px solid rgb(180, 35, 24)',
          text: `IMPORTANT ${THREE_KINDS.warning}`,
        });
        expect(looks.role).toBe('note');
        expect(looks.label).toEqual({ text: 'IMPORTANT', color: 'rgb(180, 35, 24)', weight: '700' });
        expect(looks.quote).toEqual({
          tag: 'blockquote',
          background: 'rgba(0, 0, 0, 0)',
          edge: '3px solid rgb(123, 135, 148)',
          text: THREE_KINDS.quote,
        });
        expect(looks.tonight).toEqual({
          tag: 'aside',
          background: 'rgb(243, 246, 249)',
          edge: '4px solid rgb(29, 95, 138)',
          text: `TRY THIS TONIGHT ${THREE_KINDS.tonight}`,
        });

        // Every text on the page, the label and the warning included, at 4.5:1 or more.
        const { findings } = await page.evaluate(contrastOfEveryText);
        expect(findings.filter((f) => f.text === 'Important')).toHaveLength(1);
        expect(findings.filter((f) => f.ratio < 4.5)).toEqual([]);

        expect((await seriousAxeViolations(page)).map((v) => v.id)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('the help page and every shipped tip page carry no style attribute either', async () => {
    const page = await browser.newPage();
    let boxes = 0;
    try {
      for (const p of ['/help', ...h.content.current().tips.map((t) => `/tips/${t.slug}`)]) {
        await page.goto(`${h.url}${p}`);
        expect(await page.evaluate(() => document.querySelectorAll('[style]').length), p).toBe(0);
        // Every quote and warning of the body is styled by the sheet, never left an unstyled block.
        const edges = await page.evaluate(() =>
          Array.from(document.querySelectorAll('main .quote, main .important')).map(
            (e) => getComputedStyle(e).borderLeftStyle,
          ),
        );
        expect(
          edges.filter((e) => e !== 'solid'),
          p,
        ).toEqual([]);
        boxes += edges.length;
      }
      expect(boxes).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
