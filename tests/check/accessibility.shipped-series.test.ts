import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessibilityFindings } from '../../src/check/accessibility.ts';
import { checkProject } from '../../src/check/run-checks.ts';
import { loadProject } from '../../src/render/project.ts';
import { systemEmails } from '../../src/render/index.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { repoRoot } from '../support/temp-project.ts';
import { useTempProject } from '../support/use-resource.ts';

const BASE = 'https://news.example.org';
const SECRET = 'a11y-test-secret-0123456789abcdef-0123456789';
const now = new Date('2026-11-29T12:00:00Z');
// Compiling fifteen emails with MJML on a busy shared machine: generous, never asserted on.
const SLOW = 240_000;

describe('the shipped series and templates as readers get them', () => {
  const project = useTempProject({ NEWSLETTER_BASE_URL: BASE });

  it(
    'every tip and every system email passes every accessibility check, in the light and the dark scheme',
    async () => {
      const p = await loadProject(project.config);
      const compiled = [
        ...(await Promise.all(p.tips.map((t) => p.renderer.compileTip(t)))),
        ...(await Promise.all(systemEmails.map((k) => p.renderer.compileSystem(k)))),
      ];
      expect(compiled).toHaveLength(15);
      const found = compiled.flatMap((c) => {
        const html = p.renderer.personalise(c, {
          name: 'Ann',
          ...subscriberLinks(BASE, SECRET, 'r1', now, c.slug),
        }).html;
        return accessibilityFindings(html).map((f) => `${c.slug ?? c.kind}: ${f.message}`);
      });
      expect(found).toEqual([]);
    },
    SLOW,
  );
});

describe('newsletter check (checkProject, which the studio runs too) with the accessibility checks', () => {
  const project = useTempProject({ NEWSLETTER_BASE_URL: BASE });

  it(
    'reports a published tip’s problems as errors and a draft’s as warnings, at the tip file, and nothing for the shipped tips',
    async () => {
      await cp(path.join(repoRoot, 'tests/fixtures/a11y-tips'), path.join(project.dir, 'content/tips'), {
        recursive: true,
      });
      const report = await checkProject(project.config, now);
      const a11y = report.problems
        .filter((p) => p.check.startsWith('a11y-'))
        .map((p) => `${p.severity} ${p.file}: ${p.message}`);
      const problems = (week: number, severity: string, file: string) => [
        `${severity} ${file}: week ${week}: heading "How to do it" is an h3 but follows an h1: a level is skipped; make it an h2 (## in Markdown)`,
        `${severity} ${file}: week ${week}: image https://www.nhs.uk/calf-stretch.png has a file name as alt text "IMG_2041.jpg": write what the picture shows, e.g. ![a person stretching a calf against a wall](…)`,
        `${severity} ${file}: week ${week}: link text "click here" (to https://www.nhs.uk/conditions/leg-cramps/) says nothing on its own: name where it goes, e.g. [NHS: leg cramps](https://…)`,
        `${severity} ${file}: week ${week}: link text "https://www.nhs.uk/conditions/leg-cramps/" is a bare address (screen readers spell it out): write what the page is, e.g. [NHS: leg cramps](https://www.nhs.uk/conditions/leg-cramps/)`,
      ];
      expect(a11y.sort()).toEqual(
        [
          ...problems(13, 'error', 'content/tips/13-unreadable-links.md'),
          ...problems(14, 'warning', 'content/tips/14-unreadable-links-draft.md'),
        ].sort(),
      );
      expect(report.tipsChecked).toBe(14);
    },
    SLOW,
  );
});
