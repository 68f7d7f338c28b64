import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/render/project.ts';
import type { Project } from '../../src/render/project.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { browserAvailable, launchBrowser } from '../support/browser.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const BASE = 'https://news.example.org';
const SECRET = 'dark-mode-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

interface Finding {
  text: string;
  ratio: number;
  fg: string;
  bg: string;
}

/**
 * Runs in the page: every visible element with its own text, its colour, and the first opaque
 * background behind it (walking up), with the WCAG 2 contrast ratio of the two.
 */
function contrastOfEveryText(): { body: number[]; findings: Finding[] } {
  const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => {
    const ch = [r!, g!, b!].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
  };
  const background = (el: Element | null): number[] => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const findings: Finding[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()).map((n) => n.textContent!.trim()).join(' ');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) || rect.width === 0 || rect.height === 0) continue;
    const fg = parse(getComputedStyle(el).color);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)];
    findings.push({ text: own.slice(0, 60), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), fg: getComputedStyle(el).color, bg: `rgb(${bg.join(', ')})` });
  }
  return { body: background(document.querySelector('[role=article]') ?? document.body), findings };
}

describe.skipIf(!browserAvailable())('the emails in light and dark mode, in Chromium', () => {
  let tp: TempProject;
  let project: Project;
  let browser: Browser;
  beforeAll(async () => {
    tp = await tempProject({ NEWSLETTER_BASE_URL: BASE });
    project = await loadProject(tp.config);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await tp?.cleanup();
  });

  async function emails() {
    // Every tip (callouts, quotes, sources, feedback) and every system email.
    const compiled = [...(await Promise.all(project.tips.map((t) => project.renderer.compileTip(t)))), ...(await Promise.all((['confirm', 'welcome', 'goodbye'] as const).map((k) => project.renderer.compileSystem(k))))];
    return compiled.map((c) => ({ name: c.slug ?? c.kind, html: project.renderer.personalise(c, { name: 'Ann', ...subscriberLinks(BASE, SECRET, 'reader-1', now, c.slug) }).html }));
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
        const callout = await page.evaluate(() => getComputedStyle(document.querySelector('.callout td')!).backgroundColor);
        expect(callout).toBe(scheme === 'dark' ? 'rgb(36, 48, 64)' : 'rgb(243, 246, 249)');
      } finally {
        await page.close();
      }
    });
  }
});
