import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, seriousAxeViolations, useBrowser } from '../../support/browser.ts';
import { repoRoot } from '../../support/temp-project.ts';
import { useHarness } from '../harness.ts';

const PAGES = ['/', '/tips', '/tips/stop-it-in-its-tracks', '/help', '/about', '/privacy'];
const WIDTHS = [1280, 375];
const artifacts = path.join(repoRoot, 'artifacts');

describe.skipIf(!browserAvailable())('the public pages in Chromium', () => {
  const h = useHarness();
  const browser = useBrowser();
  beforeAll(() => mkdir(artifacts, { recursive: true }));

  for (const width of WIDTHS) {
    it(`at ${width} px every page fits the width, every link answers or is https/mailto, and axe finds nothing serious`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      // A CSP violation or a script error shows up here.
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
      const checked = new Map<string, number>();
      const origin = new URL(h.url).origin;
      for (const p of PAGES) {
        const res = await page.goto(`${h.url}${p}`);
        expect(res?.status(), p).toBe(200);
        const widths = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          view: window.innerWidth,
        }));
        expect(widths.scroll, `${p} scrolls sideways at ${width} px`).toBeLessThanOrEqual(widths.view);

        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
        expect(hrefs.length, p).toBeGreaterThan(4);
        for (const href of hrefs) {
          const url = new URL(href);
          if (url.origin === origin) {
            const key = url.pathname + url.search;
            if (!checked.has(key)) {
              // Read to the end: a body left unread holds its connection open, and the site's
              // close waits for it.
              const res = await fetch(`${origin}${key}`);
              await res.arrayBuffer();
              checked.set(key, res.status);
            }
            expect(checked.get(key), `${p} links to ${key}`).toBe(200);
          } else expect(['https:', 'mailto:'], `${p} links to ${href}`).toContain(url.protocol);
        }

        // axe-core evaluated through the debugging protocol: the page's own CSP stays on.
        const serious = (await seriousAxeViolations(page)).map(
          (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        );
        expect(serious, `${p} at ${width} px`).toEqual([]);
        if (p === '/tips/stop-it-in-its-tracks' || p === '/') {
          await page.screenshot({
            path: path.join(artifacts, `public${p === '/' ? '-home' : '-tip'}-${width}.png`),
            fullPage: true,
          });
        }
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
