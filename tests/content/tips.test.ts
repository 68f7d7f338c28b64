import path from 'node:path';
import { mkdtemp, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadTips, parseTip } from '../../src/content/tips.ts';
import { parseSeries } from '../../src/content/series.ts';
import { formatProblem, sortProblems, type Problem } from '../../src/problems.ts';
import { repoRoot } from '../support/temp-project.ts';

const dir = path.join(repoRoot, 'tests/fixtures/broken-tips');
const style = { accent: '#1d5f8a' };
let lines: string[];
let result: Awaited<ReturnType<typeof loadTips>>;

beforeAll(async () => {
  result = await loadTips(dir, style, repoRoot);
  lines = sortProblems(result.problems).map(formatProblem);
});

const f = (name: string) => `tests/fixtures/broken-tips/${name}`;
const SRC_HINT = 'must be an https:// address, e.g. https://www.nhs.uk/conditions/leg-cramps/';

describe('tip loader: each kind of bad front matter names the file, the line and the field', () => {
  it.each([
    ['missing title', `${f('01-missing-title.md')}:2: title is required: the tip's headline`],
    ['empty title', `${f('02-empty-title.md')}:2: title must not be empty (got "")`],
    ['week in words', `${f('03-week-in-words.md')}:3: week must be a positive integer (got "three")`],
    ['negative week', `${f('04-negative-week.md')}:3: week must be a positive integer (got -4)`],
    [
      'duplicate week',
      `${f('06-second-of-two.md')}:3: week 5 is already used by ${f('05-first-of-two.md')}; give this tip the next free week`,
    ],
    ['missing sources', `${f('07-no-sources.md')}:2: sources must list at least one source as {title, url}`],
    [
      'source without an https URL',
      `${f('08-bad-source-url.md')}:8: sources[1].url ${SRC_HINT} (got "ftp://files.example.org/cramps.txt")`,
    ],
    [
      'unknown field',
      `${f('09-typo-field.md')}:3: unknown field "tittle" (did you mean "title"?); allowed: title, week, subject, preheader, tonight, sources, draft, reviewed, reviewed_by, next_review, corrections, reviewed_text, reviewed_fields`,
    ],
    [
      'YAML syntax error',
      `${f('10-yaml-syntax.md')}:4: front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
    ['empty body', `${f('11-empty-body.md')}:8: the tip has no body: write the tip below the front matter`],
    [
      'slug collision',
      `${f('13-same-slug.md')}:1: slug "same-slug" is already used by ${f('12-same-slug.md')}; rename this file (the slug is the file name without its number)`,
    ],
    [
      'preheader over 150 characters',
      `${f('14-long-preheader.md')}:4: preheader must be at most 150 characters (inbox previews cut the rest) (it has 160)`,
    ],
    [
      'image without alt text',
      `${f('15-image-without-alt.md')}:10: image "https://www.nhs.uk/picture.png" needs alt text: write ![what the picture shows](https://www.nhs.uk/picture.png)`,
    ],
  ])('%s', (_kind, expected) => {
    expect(lines).toContain(expected);
  });

  it('reports every broken file in one run, and nothing about the good ones', () => {
    const files = new Set(result.problems.map((p: Problem) => p.file));
    expect(files.size).toBe(13);
    expect(files.has(f('16-fine.md'))).toBe(false);
    expect(files.has(f('05-first-of-two.md'))).toBe(false);
    expect(lines).toHaveLength(13);
  });

  it('keeps the valid tips (the first of a clashing pair included) so one bad file stops nothing else', () => {
    expect(result.tips.map((t) => t.slug).sort()).toEqual(['fine', 'first-of-two', 'same-slug']);
    expect(result.tips.find((t) => t.slug === 'same-slug')?.file).toBe(f('12-same-slug.md'));
  });
});

describe('tip loader: good content', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'ncw-tips-'));
    return () => rm(tmp, { recursive: true, force: true });
  });

  it('takes the slug from the file name, defaults subject to title and draft to false, and escapes raw HTML', async () => {
    await mkdir(path.join(tmp, 'tips'), { recursive: true });
    await writeFile(
      path.join(tmp, 'tips', '07-warm-or-cool.md'),
      '---\ntitle: Warm or cool\nweek: 7\nsources:\n  - {title: NHS, url: "https://www.nhs.uk/conditions/leg-cramps/"}\nreviewed: 2026-11-01\n---\nHello <script>alert(1)</script> **world**.\n\n> Callout text.\n',
    );
    const { tips, problems } = await loadTips(path.join(tmp, 'tips'), style, tmp);
    expect(tips).toHaveLength(1);
    const tip = tips[0]!;
    expect(tip).toMatchObject({
      slug: 'warm-or-cool',
      week: 7,
      subject: 'Warm or cool',
      draft: false,
      reviewed: '2026-11-01',
    });
    expect(tip.html).not.toContain('<script>');
    expect(tip.html).toContain('&lt;script&gt;');
    expect(tip.html).toContain('<strong>world</strong>');
    // A plain quote is a quiet quote (grey rule, no fill), not the tonight box's look.
    expect(tip.html).toMatch(
      /<div class="quote" style="[^"]*border-left:3px solid #7b8794[^"]*"><p[^>]*>Callout text\.<\/p>/,
    );
    expect(tip.webHtml).toContain('<blockquote class="quote">\n<p>Callout text.</p>\n</blockquote>');
    expect(tip.webHtml).not.toContain('style=');
    expect(problems.map((p) => p.check)).toEqual(['raw-html']);
  });
});

describe('a source over plain http', () => {
  it('is refused at its line, since emails link only to https', () => {
    const text =
      '---\ntitle: T\nweek: 1\nsources:\n  - title: Old page\n    url: http://newsnetwork.mayoclinic.org/discussion/x\n---\nBody.\n';
    const { problems, tip } = parseTip(text, 'content/tips/01-t.md', style);
    expect(tip).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      `content/tips/01-t.md:6: sources[0].url ${SRC_HINT} (got "http://newsnetwork.mayoclinic.org/discussion/x")`,
    ]);
  });
});

describe('series.yml', () => {
  const good = `name: N\ntagline: T\nfrom:\n  name: N\n  address: a@b.org\npostalAddress: P\nbrandColor: "#1d5f8a"\nsendTime: "19:00"\ncadenceDays: 7\ndisclaimer: D\nurgentHelp: U\n`;

  it('accepts a complete file', () => {
    expect(parseSeries(good, 'content/series.yml')).toMatchObject({
      problems: [],
      series: { cadenceDays: 7, language: 'en' },
    });
  });

  it('names the line and field of each problem, including low-contrast colours and typos', () => {
    const bad = good
      .replace('"#1d5f8a"', '"#aaccee"')
      .replace('sendTime: "19:00"', 'sendTime: "7pm"')
      .replace('cadenceDays: 7', 'cadenceDays: 3\ncolour: red');
    const lines = parseSeries(bad, 'content/series.yml').problems.map(formatProblem);
    expect(lines).toContain(
      'content/series.yml:7: brandColor must be dark enough for white text (contrast at least 4.5:1 against white), e.g. "#1d5f8a" (got "#aaccee")',
    );
    expect(lines).toContain('content/series.yml:8: sendTime must be a local time like "19:00" (got "7pm")');
    expect(lines).toContain(
      'content/series.yml:9: cadenceDays must be at least 6 (no reader gets two tips within six days) (got 3)',
    );
    expect(lines).toContain('content/series.yml:10: unknown field "colour"');
  });
});
