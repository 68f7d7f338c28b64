import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuredContrast } from '../../src/check/accessibility.ts';
import { loadProject } from '../../src/render/project.ts';
import { systemEmails } from '../../src/render/index.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { contrastOfEveryText } from '../support/contrast.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';

const BASE = 'https://news.example.org';
const SECRET = 'a11y-browser-secret-0123456789abcdef-012345';
const now = new Date('2026-11-29T12:00:00Z');
const fixtures = ['good.html', 'low-contrast-light.html', 'low-contrast-dark.html'];
// The browser's texts are cut at 60 characters: compare a little less, whitespace collapsed.
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 55).trim();

/**
 * The size, line-height and contrast checks work from the HTML alone; Chromium paints it. For
 * every text of the shipped emails and of the contrast fixtures, in both schemes, the two must
 * see the same sizes and colours.
 */
describe.skipIf(!browserAvailable())('the static text checks measure what Chromium paints', () => {
  let tp: TempProject;
  let browser: Browser;
  let emails: { name: string; html: string }[];
  beforeAll(async () => {
    tp = await tempProject({ NEWSLETTER_BASE_URL: BASE });
    const p = await loadProject(tp.config);
    const compiled = [
      ...(await Promise.all(p.tips.map((t) => p.renderer.compileTip(t)))),
      ...(await Promise.all(systemEmails.map((k) => p.renderer.compileSystem(k)))),
    ];
    emails = [
      ...compiled.map((c) => ({
        name: c.slug ?? c.kind,
        html: p.renderer.personalise(c, { name: 'Ann', ...subscriberLinks(BASE, SECRET, 'r1', now, c.slug) }).html,
      })),
      ...fixtures.map((f) => ({
        name: f,
        html: readFileSync(path.join(repoRoot, 'tests/fixtures/a11y-emails', f), 'utf8'),
      })),
    ];
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await tp?.cleanup();
  });

  it('the same font size and line height of every text', async () => {
    const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    try {
      for (const email of emails) {
        await page.setContent(email.html, { waitUntil: 'load' });
        // Same elements as contrastOfEveryText: visible, with text of their own.
        const browserSees = await page.evaluate(() =>
          Array.from(document.body.querySelectorAll('*')).flatMap((el) => {
            const own = Array.from(el.childNodes)
              .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
              .map((n) => n.textContent!.trim())
              .join(' ');
            const rect = el.getBoundingClientRect();
            if (!own || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return [];
            if (rect.width === 0 || rect.height === 0) return [];
            const s = getComputedStyle(el);
            const size = parseFloat(s.fontSize);
            const line = s.lineHeight === 'normal' ? 1.2 : parseFloat(s.lineHeight) / size;
            return [{ text: own, size, line }];
          }),
        );
        const checkSees = measuredContrast(email.html).filter((m) => m.scheme === 'light');
        expect(
          checkSees.map((m) => `${collapse(m.text)} ${m.fontSize.toFixed(1)}px × ${m.lineHeight.toFixed(2)}`),
          email.name,
        ).toEqual(browserSees.map((b) => `${collapse(b.text)} ${b.size.toFixed(1)}px × ${b.line.toFixed(2)}`));
      }
    } finally {
      await page.close();
    }
  }, 240_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the same texts, each with the same contrast ratio`, async () => {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 700, height: 900 } });
      try {
        let compared = 0;
        for (const email of emails) {
          await page.setContent(email.html, { waitUntil: 'load' });
          const { findings } = await page.evaluate(contrastOfEveryText);
          const browserSees = findings.map((f) => `${collapse(f.text)} ${f.ratio.toFixed(1)}`);
          const checkSees = measuredContrast(email.html)
            .filter((m) => m.scheme === scheme)
            .map((m) => `${collapse(m.text)} ${m.ratio.toFixed(1)}`);
          expect(checkSees, `${email.name} in ${scheme}`).toEqual(browserSees);
          compared += findings.length;
        }
        expect(compared).toBeGreaterThan(500);
      } finally {
        await page.close();
      }
    }, 240_000);
  }
});
