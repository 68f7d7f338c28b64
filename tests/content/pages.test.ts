import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/run-checks.ts';
import { loadProject } from '../../src/render/project.ts';
import { formatProblem } from '../../src/problems.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-11-29T12:00:00Z');

describe('content/pages/help.md, the page editors own', () => {
  let temp: TempProject | undefined;
  afterEach(async () => {
    await temp?.cleanup();
    temp = undefined;
  });

  it('the shipped page loads with its sources and review date, urgent signs first, and passes the check', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const project = await loadProject(temp.config);
    const help = project.pages.find((p) => p.name === 'help')!;
    expect(help.title).toBe('When to get help');
    expect(help.sources.length).toBeGreaterThan(0);
    expect(help.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Urgent first: the four tiers, in order (issue 21 renamed "same day" to "today").
    const order = [
      'Call 911 (or your local emergency number) now',
      'Get medical help today',
      'See your doctor soon',
      'Book a visit',
    ].map((h) => help.html.indexOf(h));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const report = await checkProject(temp.config, NOW);
    expect(report.problems.filter((p) => p.file === 'content/pages/help.md')).toEqual([]);
  });

  it('`newsletter check` reports bad front matter with file, line and field, as for a tip', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, 'content/pages/help.md');
    const text = await readFile(file, 'utf8');
    const broken = text
      .replace(/^title: .*$/m, 'tittle: When to get help')
      .replace('url: https://www.nhs.uk/conditions/leg-cramps/', 'url: http://www.nhs.uk/conditions/leg-cramps/')
      .replace(/^reviewed: .*\n/m, '');
    await writeFile(file, broken);
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const report = await checkProject(temp.config, NOW);
    const lines = report.problems
      .filter((p) => p.file === 'content/pages/help.md' && p.severity === 'error')
      .map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^content/pages/help\\.md:${lineOf('tittle:')}: unknown field "tittle" \\(did you mean "title"\\?\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^content/pages/help\\.md:${lineOf('http://www.nhs.uk')}: sources\\[1\\]\\.url must be an https:// address`,
          ),
        ),
        expect.stringMatching(
          /^content\/pages\/help\.md:\d+: reviewed is required: .* then run `newsletter review help`/,
        ),
        expect.stringMatching(/^content\/pages\/help\.md:\d+: title is required/),
      ]),
    );
    // A broken page is left out; the site then falls back to the urgent-help line.
    expect((await loadProject(temp.config)).pages.find((p) => p.name === 'help')).toBeUndefined();
  });
  it('`newsletter check` warns when the help page every email links to is missing', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const report = await checkProject(temp.config, NOW);
    expect(report.problems.filter((p) => p.check === 'pages')).toEqual([]);
    await rm(path.join(temp.dir, 'content/pages/help.md'));
    const missing = (await checkProject(temp.config, NOW)).problems.filter((p) => p.check === 'pages');
    expect(missing).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'content/pages/help.md',
        message: expect.stringContaining('/help, which every email links to'),
      }),
    ]);
  });
  it('`newsletter check` holds the page to the writing rules: reading grade, and a review that is due', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, 'content/pages/help.md');
    const text = await readFile(file, 'utf8');
    // The same front matter, reviewed long ago, over a body in the words of a specialist.
    const frontMatter = text.slice(0, text.indexOf('\n---', 3) + 5).replace(/^reviewed: .*$/m, 'reviewed: 2024-01-10');
    const dense =
      'Notwithstanding considerable interindividual variability, nocturnal musculoskeletal contractions necessitate comprehensive differential diagnostic consideration encompassing neurological, vascular, metabolic and pharmacological aetiologies.\n';
    await writeFile(file, frontMatter + dense.repeat(3));
    const report = await checkProject(temp.config, NOW);
    const page = report.problems.filter((p) => p.file === 'content/pages/help.md');
    expect(page).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'error',
          check: 'reading-grade',
          line: frontMatter.split('\n').length,
          message: expect.stringMatching(
            /^the page reads at US grade \d+\.\d \(Flesch-Kincaid\), above the series' limit of 8/,
          ),
        }),
        expect.objectContaining({
          severity: 'warning',
          check: 'review-due',
          message: expect.stringContaining('due for review on 2025-01-10'),
        }),
      ]),
    );
  });
});
