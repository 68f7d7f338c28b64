import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent, type Tip } from '../../src/content/index.ts';
import { htmlToPlainText } from '../../src/render/text.ts';
import { repoRoot } from '../support/temp-project.ts';

/** Syllables by vowel groups, less a silent final e: rough, but stable and on the strict side. */
function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 0;
  const groups = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '').match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** Flesch-Kincaid grade over sentences (headings and list items count as sentences). */
function gradeLevel(text: string): number {
  const sentences = text.split(/[.!?:]+\s|\n+/).filter((s) => /[a-z]/i.test(s));
  const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
  const syl = words.reduce((n, w) => n + syllables(w), 0);
  return 0.39 * (words.length / sentences.length) + 11.8 * (syl / words.length) - 15.59;
}

let tips: Tip[];
beforeAll(async () => {
  const content = await loadContent(path.join(repoRoot, 'content'), repoRoot);
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

  it('keeps each tip between 250 and 450 words at a US grade-8 reading level or below', () => {
    for (const t of tips) {
      const text = htmlToPlainText(t.html);
      const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
      expect(words, t.file).toBeGreaterThanOrEqual(250);
      expect(words, t.file).toBeLessThanOrEqual(450);
      expect(gradeLevel(text), t.file).toBeLessThanOrEqual(8);
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
    for (const flag of [/one leg/, /ten minutes|10 minutes/, /lead|toxin/, /tetanus/, /weak/, /numb/, /walk/, /new medicine|started a medicine|new medication/, /sleep|tired/]) {
      expect(last).toMatch(flag);
    }
  });
});
