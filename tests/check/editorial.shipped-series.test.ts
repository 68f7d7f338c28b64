import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent, type Tip } from '../../src/content/index.ts';
import { editorialProblems } from '../../src/check/editorial.ts';
import { formatProblem } from '../../src/problems.ts';
import { fixtureContent } from '../support/temp-project.ts';

let tips: Tip[];
beforeAll(async () => {
  const content = await loadContent(fixtureContent, path.dirname(fixtureContent));
  expect(content.problems).toEqual([]);
  tips = content.tips;
});

describe('the twelve-week series', () => {
  it('has weeks 1 to 12, all published, each with a tonight tip and sources', () => {
    expect(tips.map((t) => t.week)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const t of tips) {
      expect(t.draft, t.file).toBe(false);
      expect(t.tonight?.length, t.file).toBeGreaterThan(20);
      expect(t.sources.length, t.file).toBeGreaterThan(0);
      for (const s of t.sources) expect(s.url, t.file).toMatch(/^https:\/\//);
    }
  });

  it('meets every writing rule `newsletter check` enforces (250-450 words, grade 8, no placeholders, tonight once, reviewed)', () => {
    // The rules live in src/check/editorial.ts so editors get them from `check`; no reviewer is invented.
    expect(
      editorialProblems(tips, { maxReadingGrade: 8 }, new Date('2026-11-29T12:00:00Z')).map(formatProblem),
    ).toEqual([]);
    for (const t of tips) {
      expect(t.reviewed, t.file).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(t.reviewedBy, t.file).toBeUndefined();
    }
  });

  it('never promises a cure, and sends medicine and supplement questions to a doctor', () => {
    for (const t of tips) {
      const text = `${t.title} ${t.tonight} ${t.markdown}`.toLowerCase();
      expect(text, t.file).not.toMatch(/\bcures?\b|\bguarantee|\bmiracle|stops cramps for good/);
    }
    const all = tips.map((t) => t.markdown.toLowerCase()).join('\n');
    expect(all).toMatch(/may help/);
    const medicines = tips.find((t) => t.week === 10)!.markdown.toLowerCase();
    expect(medicines).toMatch(/doctor|pharmacist/);
    expect(medicines).not.toMatch(/\bstop taking\b(?![^.]*\b(doctor|pharmacist)\b)/);
    const quinine = tips.find((t) => t.week === 11)!.markdown.toLowerCase();
    expect(quinine).toMatch(/quinine/);
    expect(quinine).toMatch(/magnesium/);
    expect(quinine).toMatch(/pregnan/);
  });

  it('covers the red flags: the one-swollen-leg warning early, the full checklist in week 12', () => {
    expect(tips.find((t) => t.week === 2)!.markdown.toLowerCase()).toMatch(/one leg/);
    const last = tips.find((t) => t.week === 12)!.markdown.toLowerCase();
    for (const flag of [
      /one leg/,
      /ten minutes|10 minutes/,
      /lead|toxin/,
      /tetanus/,
      /weak/,
      /numb/,
      /walk/,
      /new medicine|started a medicine|new medication/,
      /sleep|tired/,
    ]) {
      expect(last).toMatch(flag);
    }
  });
});
