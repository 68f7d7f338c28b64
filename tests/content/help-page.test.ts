import { readFile, writeFile } from 'node:fs/promises';
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
    // Urgent first: the emergency section comes before same-day help, and that before booking a visit.
    const order = ['Call 911', 'same day', 'Book a visit'].map((h) => help.html.indexOf(h));
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
    const lines = report.problems.filter((p) => p.file === 'content/pages/help.md' && p.severity === 'error').map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^content/pages/help\\.md:${lineOf('tittle:')}: unknown field "tittle" \\(did you mean "title"\\?\\)`)),
        expect.stringMatching(new RegExp(`^content/pages/help\\.md:${lineOf('http://www.nhs.uk')}: sources\\[1\\]\\.url must be an https:// address`)),
        expect.stringMatching(/^content\/pages\/help\.md:\d+: reviewed is required/),
        expect.stringMatching(/^content\/pages\/help\.md:\d+: title is required/),
      ]),
    );
    // A broken page is left out; the site then falls back to the urgent-help line.
    expect((await loadProject(temp.config)).pages.find((p) => p.name === 'help')).toBeUndefined();
  });
});
