import path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadTips } from '../../src/content/tips.ts';
import { addMonths } from '../../src/content/tips.ts';
import { editorialProblems, readingGrade } from '../../src/check/editorial.ts';
import { formatProblem, sortProblems } from '../../src/problems.ts';
import { repoRoot } from '../support/temp-project.ts';

const dir = path.join(repoRoot, 'tests/fixtures/editorial-tips');
const style = { accent: '#1d5f8a' };
const NOW = new Date('2026-11-29T12:00:00Z');
const f = (name: string) => `tests/fixtures/editorial-tips/${name}`;
const placeholder = (where: string, marker: string) =>
  `${where} still holds the placeholder text from \`newsletter new\` ("${marker}"): replace it with your own before publishing`;

const bound = <T extends object>(t: T): T => ({ ...t, review: { state: 'current' } });

let tips: Awaited<ReturnType<typeof loadTips>>['tips'];
let lines: string[];
beforeAll(async () => {
  const result = await loadTips(dir, style, repoRoot);
  expect(result.problems).toEqual([]);
  tips = result.tips;
  // The rules of the writing, over tips whose review is taken as bound to their text (the review
  // record's own checks are in review.test.ts).
  lines = sortProblems(editorialProblems(tips.map(bound), { maxReadingGrade: 8 }, NOW)).map(formatProblem);
});

describe('check: the writing rules, each tripped by one fixture with its path:line: message', () => {
  it.each([
    [
      'scaffold text in the body',
      `${f('01-placeholder-body.md')}:11: ${placeholder('the body', 'Write the tip here')}`,
    ],
    [
      'the sample preheader',
      `${f('02-placeholder-preheader.md')}:4: ${placeholder('preheader', 'One line for the inbox preview')}`,
    ],
    [
      'the sample tonight line',
      `${f('03-placeholder-tonight.md')}:5: ${placeholder('tonight', 'One concrete thing to try tonight, in one or two')}`,
    ],
    [
      'the sample source (title)',
      `${f('04-placeholder-source.md')}:7: ${placeholder('sources[0].title', 'Replace with the name of your source')}`,
    ],
    [
      'the sample source (address)',
      `${f('04-placeholder-source.md')}:8: ${placeholder('sources[0].url', 'https://www.example.org/replace-with-the-page-you-used')}`,
    ],
    [
      'fewer than 250 words',
      `${f('05-too-short.md')}:11: the body has 75 words; a published tip has 250 to 450: write more`,
    ],
    [
      'more than 450 words',
      `${f('06-too-long.md')}:11: the body has 529 words; a published tip has 250 to 450: cut it down`,
    ],
    [
      'above the reading grade',
      `${f('07-hard-to-read.md')}:11: the body reads at US grade 47.3 (Flesch-Kincaid), above the series' limit of 8 (maxReadingGrade in content/series.yml): use shorter sentences and shorter words`,
    ],
    [
      'no tonight',
      `${f('08-no-tonight.md')}:2: tonight is required to publish: the one thing to try tonight, shown once as a callout after the tip`,
    ],
    [
      'a ## Tonight section',
      `${f('09-tonight-section.md')}:21: the body has its own "Tonight" section, but the tonight field is already shown as a callout: keep the step in tonight only and delete this section`,
    ],
    [
      'the tonight text in the body',
      `${f('10-tonight-repeated.md')}:21: the body repeats the tonight text, which is already shown as a callout: say it once, in tonight`,
    ],
    [
      'no reviewed date',
      `${f('11-no-reviewed.md')}:2: reviewed is required to publish: check the tip against its sources, then run \`newsletter review 11-no-reviewed\` (it writes the date and binds it to this text)`,
    ],
    [
      'past its next review (warning)',
      `${f('12-review-due.md')}:9: warning: the tip was due for review on 2025-01-10: check it against its sources again, then run \`newsletter review 12-review-due\``,
    ],
    [
      'next_review before reviewed',
      `${f('13-next-review-before-reviewed.md')}:10: next_review 2026-01-01 is before reviewed 2026-11-01: give a later date, or delete it for reviewed + 12 months`,
    ],
    [
      'a source listed twice (warning)',
      `${f('14-duplicate-source.md')}:10: warning: sources[1] repeats the address of sources[0] (https://www.nhs.uk/conditions/leg-cramps): list each source once`,
    ],
  ])('%s', (_kind, expected) => {
    expect(lines).toContain(expected);
  });

  it('gives a draft the same findings as warnings only', () => {
    const draft = lines.filter((l) => l.startsWith(f('15-unfinished-draft.md')));
    expect(draft.length).toBeGreaterThanOrEqual(4);
    for (const l of draft) expect(l).toMatch(/^[^:]+:\d+: warning: /);
  });

  it('finds nothing else: one finding per fixture (two for the sample source), none for the fine tip', () => {
    const published = lines.filter((l) => !l.startsWith(f('15-unfinished-draft.md')));
    expect(published).toHaveLength(15);
    expect(lines.some((l) => l.startsWith(f('16-fine.md')))).toBe(false);
  });

  it('reads reviewed_by and next_review, and defaults next_review to reviewed + 12 months', () => {
    expect(tips.find((t) => t.slug === 'fine')).toMatchObject({
      reviewed: '2026-11-01',
      reviewedBy: 'Dr Ann Lee, GP',
      nextReview: '2027-06-01',
    });
    expect(tips.find((t) => t.slug === 'review-due')).toMatchObject({
      reviewed: '2024-01-10',
      nextReview: '2025-01-10',
    });
    expect(tips.find((t) => t.slug === 'review-due')?.reviewedBy).toBeUndefined();
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('takes the grade limit from series.yml (maxReadingGrade)', () => {
    const fine = tips.filter((t) => t.slug === 'fine').map(bound);
    expect(editorialProblems(fine, { maxReadingGrade: 8 }, NOW)).toEqual([]);
    expect(editorialProblems(fine, { maxReadingGrade: 1 }, NOW).map((p) => p.check)).toEqual(['reading-grade']);
    expect(readingGrade('The cat sat on the mat. It was warm.')).toBeLessThan(2);
  });
});
