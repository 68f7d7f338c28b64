import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/render/project.ts';
import type { Project } from '../../src/render/project.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { contrastOfEveryText } from '../support/contrast.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { THREE_KINDS, writeThreeKindsTip } from './three-kinds.ts';

const BASE = 'https://news.example.org';
const SECRET = 'dark-mode-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

describe.skipIf(!browserAvailable())('the emails in light and dark mode, in Chromium', () => {
  let tp: TempProject;
  let project: Project;
  let browser: Browser;
  beforeAll(async () => {
    tp = await tempProject({ NEWSLETTER_BASE_URL: BASE });
    // A tip with a warning, a quote and the tonight box: each one measured below.
    await writeThreeKindsTip(tp.dir);
    project = await loadProject(tp.config);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.cleanup();
  });

  async function emails() {
    // Every tip (warnings, callouts, quotes, sources, feedback) and every system email.
    const compiled = [
      ...(await Promise.all(project.tips.map((t) => project.renderer.compileTip(t)))),
      ...(await Promise.all(
        (['confirm', 'welcome', 'goodbye'] as const).map((k) => project.renderer.compileSystem(k)),
      )),
    ];
    return compiled.map((c) => ({
      name: c.slug ?? c.kind,
      html: project.renderer.personalise(c, { name: 'Ann', ...subscriberLinks(BASE, SECRET, 'reader-1', now, c.slug) })
        .html,
    }));
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: a ${scheme} background and every text at 4.5:1 or more`, async () => {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 700, height: 900 } });
      try {
        for (const email of await emails()) {
          expect(email.html).toContain('<meta name="color-scheme" content="light dark">');
          expect(email.html).toContain('@media (prefers-color-scheme: dark)');
          await page.setContent(email.html, { waitUntil: 'load' });
          const { body, findings } = await page.evaluate(contrastOfEveryText);
          const brightness = (body[0]! + body[1]! + body[2]!) / 3;
          if (scheme === 'dark') expect(brightness, email.name).toBeLessThan(40);
          else expect(brightness, email.name).toBeGreaterThan(200);
          // The tip's own text, the callout, the feedback line, the footer: all measured.
          expect(findings.length).toBeGreaterThan(5);
          const low = findings.filter((f) => f.ratio < 4.5);
          expect(low, `${email.name} in ${scheme}`).toEqual([]);
        }
        // The "try this tonight" callout is restyled, not left light on a dark page.
        await page.setContent((await emails())[0]!.html, { waitUntil: 'load' });
        const callout = await page.evaluate(
          () => getComputedStyle(document.querySelector('.callout td')!).backgroundColor,
        );
        expect(callout).toBe(scheme === 'dark' ? 'rgb(36, 48, 64)' : 'rgb(243, 246, 249)');
      } finally {
        await page.close();
      }
    });

    it(`${scheme}: a warning, a quote and the tonight box are three different things to the eye`, async () => {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 700, height: 900 } });
      try {
        const email = (await emails()).find((e) => e.name === THREE_KINDS.slug)!;
        await page.setContent(email.html, { waitUntil: 'load' });
        const looks = await page.evaluate(() => {
          const look = (el: Element | null) => {
            if (!el) return null;
            const s = getComputedStyle(el);
            return {
              background: s.backgroundColor,
              edge: `${s.borderLeftWidth} ${s.borderLeftStyle} ${s.borderLeftColor}`,
              text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
            };
          };
          const label = document.querySelector('.important .important-label');
          return {
            warning: look(document.querySelector('.important')),
            label: label && {
              text: (label as HTMLElement).innerText,
              color: getComputedStyle(label).color,
              visible: label.checkVisibility(),
            },
            quote: look(document.querySelector('.quote')),
            tonight: look(document.querySelector('.callout td')),
          };
        });
        const expected = {
          light: {
            warning: ['rgb(254, 243, 242)', '6px solid rgb(180, 35, 24)'],
            label: 'rgb(180, 35, 24)',
            quote: ['rgba(0, 0, 0, 0)', '3px solid rgb(123, 135, 148)'],
            tonight: ['rgb(243, 246, 249)', '4px solid rgb(29, 95, 138)'],
          },
          dark: {
            warning: ['rgb(58, 28, 25)', '6px solid rgb(249, 112, 102)'],
            label: 'rgb(255, 179, 168)',
            quote: ['rgba(0, 0, 0, 0)', '3px solid rgb(154, 165, 177)'],
            tonight: ['rgb(36, 48, 64)', '4px solid rgb(29, 95, 138)'],
          },
        }[scheme];
        expect([looks.warning?.background, looks.warning?.edge]).toEqual(expected.warning);
        expect([looks.quote?.background, looks.quote?.edge]).toEqual(expected.quote);
        expect([looks.tonight?.background, looks.tonight?.edge]).toEqual(expected.tonight);
        expect(looks.label).toEqual({ text: 'IMPORTANT', color: expected.label, visible: true });
        expect(looks.warning?.text).toBe(`IMPORTANT ${THREE_KINDS.warning}`);
        expect(looks.quote?.text).toBe(THREE_KINDS.quote);
        // No two of the three share a fill and an edge.
        const keys = [looks.warning, looks.quote, looks.tonight].map((l) => `${l?.background}|${l?.edge}`);
        expect(new Set(keys).size).toBe(3);
        // The label and the warning's text are measured like every other text, here by name.
        const { findings } = await page.evaluate(contrastOfEveryText);
        const inWarning = findings.filter((f) => f.text === 'Important' || f.text.startsWith('Pain and swelling'));
        expect(inWarning.map((f) => f.text)).toEqual(['Important', THREE_KINDS.warning.slice(0, 60)]);
        for (const f of inWarning) expect(f.ratio, `${f.text}: ${f.fg} on ${f.bg}`).toBeGreaterThanOrEqual(4.5);
      } finally {
        await page.close();
      }
    });
  }
});
