import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decode } from 'libqp';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { encodeParts } from '../../src/mailer/quoted-printable.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { systemEmails } from '../../src/render/index.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { browserAvailable, useBrowser } from '../support/browser.ts';
import { fixtureContent, repoRoot } from '../support/temp-project.ts';

const BASE = 'https://news.example.org';
const SECRET = 'compact-html-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

/**
 * The templates as they were before the tip's last three card sections became one (and before
 * any later change to the markup): what readers saw, for the screenshots to hold the emails to.
 */
const TEMPLATES_BEFORE = path.join(repoRoot, 'tests/fixtures/templates-before');

/** Every shipped tip and system email, filled in for one reader, as `compact` renders it from `templates`. */
async function emails(compact: boolean, templates = path.join(repoRoot, 'templates')) {
  const config = loadConfig(
    {
      NEWSLETTER_SECRET: SECRET,
      NEWSLETTER_BASE_URL: BASE,
      NEWSLETTER_CONTENT_DIR: fixtureContent,
    },
    repoRoot,
  );
  const project: Project = await loadProject({ ...config, templatesDir: templates, cacheDir: false }, { compact });
  const compiled = [
    ...(await Promise.all(project.tips.map((t) => project.renderer.compileTip(t)))),
    ...(await Promise.all(systemEmails.map((k) => project.renderer.compileSystem(k)))),
  ];
  return compiled.map((c) => {
    const reader = {
      // A name to escape: the fill step's escaping must survive compaction.
      name: 'Ann <b>&</b>',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now, c.slug),
      firstTip: 'Your first tip arrives on Monday, December 7 at 7:00 PM.',
    };
    const { html } = encodeParts(project.renderer.personaliseParts(c, reader));
    return {
      name: c.slug ?? c.kind,
      html: project.renderer.personalise(c, reader).html,
      // The HTML part exactly as it goes on the wire (7bit: ASCII, short lines), decoded.
      wire: html.encoding === '7bit' ? html.body : decode(html.body).toString('utf8'),
      encoding: html.encoding,
    };
  });
}

describe('compacted email HTML', () => {
  it('is smaller than MJML’s output and keeps the escaped greeting and every link', async () => {
    const [before, after] = await Promise.all([emails(false), emails(true)]);
    expect(after).toHaveLength(15);
    for (const [i, email] of after.entries()) {
      const old = before[i]!;
      expect(email.html.length, email.name).toBeLessThan(old.html.length * 0.85);
      expect(email.html, email.name).toContain('Hi Ann &lt;b&gt;&amp;&lt;/b&gt;,');
      const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
      expect(hrefs(email.html), email.name).toEqual(hrefs(old.html));
      // Outlook's section tables, which give its Word engine the 600 px width, all stay (the
      // column tables inside them go with the columns: src/render/single-columns.ts).
      const sectionTables = (html: string) =>
        (html.match(/<!--\[if mso \| IE\]>(?:(?!<!\[endif\]-->)[^])*?width="600"/g) ?? []).length;
      expect(sectionTables(email.html), email.name).toBe(sectionTables(old.html));
      expect(sectionTables(email.html), email.name).toBeGreaterThanOrEqual(3);
      expect(email.html, email.name).not.toMatch(/\n\s/);
    }
  });
});

describe.skipIf(!browserAvailable())('compacted email HTML in Chromium', () => {
  const browser = useBrowser();

  it('as sent looks pixel for pixel like MJML’s output of the old templates: every email, 600 and 375 px wide, light and dark', async () => {
    const [before, after] = await Promise.all([emails(false, TEMPLATES_BEFORE), emails(true)]);
    let out: string | undefined;
    let compared = 0;
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [600, 375]) {
        const page = await browser.newPage({ colorScheme: scheme, viewport: { width, height: 800 } });
        // Nothing leaves the machine (the emails load nothing remote anyway).
        await page.route('**/*', (route) => route.abort());
        try {
          for (const [i, email] of after.entries()) {
            const shot = async (html: string) => {
              await page.setContent(html, { waitUntil: 'load' });
              return page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
            };
            const old = await shot(before[i]!.html);
            expect(email.encoding, email.name).toBe('7bit');
            const now = await shot(email.wire);
            const same = old.equals(now);
            if (!same) {
              // Kept for a person to look at: the two pictures and the two documents.
              out ??= await mkdtemp(path.join(tmpdir(), 'ncw-compact-'));
              const stem = path.join(out, `${email.name}-${width}-${scheme}`);
              await Promise.all([
                writeFile(`${stem}-before.png`, old),
                writeFile(`${stem}-after.png`, now),
                writeFile(`${stem}-before.html`, before[i]!.html),
                writeFile(`${stem}-after.html`, email.wire),
              ]);
            }
            expect(same, `${email.name} at ${width} px, ${scheme}: screenshots differ, see ${out}`).toBe(true);
            compared++;
          }
        } finally {
          await page.close();
        }
      }
    }
    expect(compared).toBe(15 * 4);
  }, 400_000);
});
