import { convert } from 'html-to-text';
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import type { ContentPage, ReviewStatus, Series, Tip } from '../content/index.ts';
import { fieldNames } from '../content/review.ts';
import { SCAFFOLD_MARKERS } from '../content/scaffold.ts';
import type { Problem, Severity } from '../problems.ts';

/** Body length of a published tip, in words (headings and list items included, link addresses not). */
export const MIN_WORDS = 250;
export const MAX_WORDS = 450;
export const DEFAULT_MAX_GRADE = 8;

/** The tip's body as a reader sees it: plain text, one block per line, link addresses left out. */
export function bodyText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'img', format: 'skip' },
      // A warning's "Important" label is ours, not the editor's words.
      { selector: 'p.important-label', format: 'skip' },
    ],
  }).trim();
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
}

/**
 * Flesch-Kincaid grade level (the `flesch-kincaid` package), syllables counted by `syllable`.
 * A sentence ends at . ! or ?, and every line (a heading, a list item) counts as one.
 */
export function readingGrade(text: string): number {
  const sentence = text.split(/[.!?]+(?=\s|$)|\n+/).filter((s) => /[a-z]/i.test(s)).length;
  const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
  if (!sentence || !words.length) return 0;
  const syllables = words.reduce((n, w) => n + syllable(w.replace(/[^a-z'-]/gi, '')), 0);
  return fleschKincaid({ sentence, word: words.length, syllable: syllables });
}

/** Lower case, Markdown emphasis and quotes dropped, spaces collapsed: for "does the body repeat it". */
const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[*_`"“”‘’']/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The writing rules every published tip must meet (errors); a draft gets the same findings as
 * warnings, so an editor sees what is left to do before deleting `draft: true`.
 */
export function editorialProblems(
  tips: readonly Tip[],
  series: Pick<Series, 'maxReadingGrade'>,
  now: Date,
  pages: readonly ContentPage[] = [],
  options: { production?: boolean } = {},
): Problem[] {
  const problems: Problem[] = [];
  const maxGrade = series.maxReadingGrade ?? DEFAULT_MAX_GRADE;
  // A review that no longer vouches for the text is a warning while writing, an error for launch.
  const reviewSeverity: Severity = options.production ? 'error' : 'warning';
  for (const tip of tips) problems.push(...tipProblems(tip, maxGrade, now, reviewSeverity));
  for (const page of pages) problems.push(...pageProblems(page, maxGrade, now, reviewSeverity));
  return problems;
}

/**
 * The checks about a review no longer vouching for the text (edited since, never bound to a
 * text, or overdue): a pass holds such a tip in production (`requireReview`) rather than
 * leaving it off the site, so the publish rules set these apart from the other errors.
 */
export const REVIEW_CHECKS: readonly string[] = ['review-stale', 'review-due'];

/** The command that records a review of a file's current text: `newsletter review 03-stop-it-in-its-tracks`. */
export function reviewCommand(file: string): string {
  return `newsletter review ${(file.split(/[\\/]/).pop() ?? file).replace(/\.md$/, '')}`;
}

/** Why a review no longer vouches for the text, and what to do: undefined while it does. */
export function staleReviewMessage(
  item: { review: ReviewStatus; reviewed?: string | undefined; file: string },
  kind: 'tip' | 'page',
): string | undefined {
  const command = reviewCommand(item.file);
  const { review } = item;
  if (review.state === 'current' || !item.reviewed) return undefined;
  if (review.state === 'unreviewed')
    return `the review of ${item.reviewed} records no text (reviewed_text), so the ${kind} shows no "checked" line and is held in production: check it against its sources, then run \`${command}\``;
  const fields = fieldNames(review.fields, kind);
  return `${fields.join(', ')} changed since the review of ${item.reviewed}, so the ${kind} shows no "checked" line and is held in production: check ${fields.length === 1 ? 'it' : 'them'} against the sources, then run \`${command}\``;
}

/**
 * The rules of a page editors own (the help page): as plain to read as a tip, checked again
 * when its review is due. A page is live as soon as it exists, so the grade is an error.
 */
function pageProblems(page: ContentPage, maxGrade: number, now: Date, reviewSeverity: Severity): Problem[] {
  const problems: Problem[] = [];
  const grade = readingGrade(bodyText(page.html));
  if (grade > maxGrade) {
    problems.push({
      severity: 'error',
      check: 'reading-grade',
      file: page.file,
      line: page.bodyLine,
      message: `the page reads at US grade ${grade.toFixed(1)} (Flesch-Kincaid), above the series' limit of ${maxGrade} (maxReadingGrade in content/series.yml): use shorter sentences and shorter words`,
    });
  }
  const stale = staleReviewMessage(page, 'page');
  if (stale)
    problems.push({ severity: reviewSeverity, check: 'review-stale', file: page.file, line: 2, message: stale });
  if (page.nextReview < now.toISOString().slice(0, 10)) {
    problems.push({
      severity: reviewSeverity,
      check: 'review-due',
      file: page.file,
      message: `the page was due for review on ${page.nextReview}: check it against its sources again, then run \`${reviewCommand(page.file)}\``,
    });
  }
  return problems;
}

/** What each rule for a tip reads, and how it reports: at the tip's file, a draft's findings as warnings. */
interface TipCheck {
  tip: Tip;
  /** The body as a reader sees it. */
  text: string;
  maxGrade: number;
  now: Date;
  /** How a review that no longer vouches for the text is reported: warning, or error with --production. */
  reviewSeverity: Severity;
  add: (check: string, line: number | undefined, message: string, level?: Severity) => void;
  /** The line of a front-matter field, or the first line of the front matter when it is missing. */
  lineOf: (field: string) => number;
}

function tipProblems(tip: Tip, maxGrade: number, now: Date, reviewSeverity: Severity): Problem[] {
  const problems: Problem[] = [];
  const severity: Severity = tip.draft ? 'warning' : 'error';
  const check: TipCheck = {
    tip,
    text: bodyText(tip.html),
    maxGrade,
    now,
    reviewSeverity,
    add: (rule, line, message, level = severity) =>
      problems.push({ severity: level, check: rule, file: tip.file, ...(line ? { line } : {}), message }),
    lineOf: (field) => tip.fieldLines[field] ?? 2,
  };
  placeholderProblems(check);
  lengthAndGradeProblems(check);
  tonightProblems(check);
  reviewProblems(check);
  repeatedSourceProblems(check);
  return problems;
}

/** Placeholder text from `newsletter new`, wherever it is still found. */
function placeholderProblems({ tip, add, lineOf }: TipCheck): void {
  const fields: [string, string | undefined][] = [
    ['title', tip.title],
    ['subject', tip.subject],
    ['preheader', tip.preheader],
    ['tonight', tip.tonight],
    ...tip.sources.flatMap((s, i): [string, string][] => [
      [`sources.${i}.title`, s.title],
      [`sources.${i}.url`, s.url],
    ]),
  ];
  for (const [field, value] of fields) {
    const marker = value && SCAFFOLD_MARKERS.find((m) => value.includes(m));
    if (marker)
      add(
        'placeholder',
        lineOf(field),
        placeholderMessage(field.replace(/^sources\.(\d+)\.(\w+)$/, 'sources[$1].$2'), marker),
      );
  }
  tip.sourceMarkdown.split('\n').forEach((text, i) => {
    const marker = SCAFFOLD_MARKERS.find((m) => text.includes(m));
    if (marker) add('placeholder', tip.bodyLine + i, placeholderMessage('the body', marker));
  });
}

/** The body's length in words, and its reading grade against the series' limit. */
function lengthAndGradeProblems({ tip, text, maxGrade, add }: TipCheck): void {
  const words = countWords(text);
  if (words < MIN_WORDS || words > MAX_WORDS) {
    const fix = words < MIN_WORDS ? 'write more' : 'cut it down';
    add('words', tip.bodyLine, `the body has ${words} words; a published tip has ${MIN_WORDS} to ${MAX_WORDS}: ${fix}`);
  }
  const grade = readingGrade(text);
  if (grade > maxGrade) {
    add(
      'reading-grade',
      tip.bodyLine,
      `the body reads at US grade ${grade.toFixed(1)} (Flesch-Kincaid), above the series' limit of ${maxGrade} (maxReadingGrade in content/series.yml): use shorter sentences and shorter words`,
    );
  }
}

/** tonight is required, and shown once as a callout: the body neither heads a section with it nor repeats it. */
function tonightProblems({ tip, text, add, lineOf }: TipCheck): void {
  if (!tip.tonight) {
    add(
      'tonight',
      lineOf('tonight'),
      'tonight is required to publish: the one thing to try tonight, shown once as a callout after the tip',
    );
    return;
  }
  const lines = tip.sourceMarkdown.split('\n');
  const heading = lines.findIndex((l) => /^#{1,6}\s+(.*\s)?tonight\b/i.test(l));
  if (heading >= 0) {
    add(
      'tonight',
      tip.bodyLine + heading,
      `the body has its own "${lines[heading]!.replace(/^#+\s+/, '').trim()}" section, but the tonight field is already shown as a callout: keep the step in tonight only and delete this section`,
    );
  }
  const tonight = normalise(tip.tonight);
  if (heading < 0 && normalise(text).includes(tonight)) {
    const start = tonight.slice(0, 30);
    const at = lines.findIndex((l) => normalise(l).includes(start));
    add(
      'tonight',
      tip.bodyLine + Math.max(at, 0),
      'the body repeats the tonight text, which is already shown as a callout: say it once, in tonight',
    );
  }
}

/** reviewed is required; next_review comes after it, and a published tip past it is due again. */
function reviewProblems({ tip, now, add, lineOf, reviewSeverity }: TipCheck): void {
  if (!tip.reviewed) {
    add(
      'reviewed',
      lineOf('reviewed'),
      `reviewed is required to publish: check the tip against its sources, then run \`${reviewCommand(tip.file)}\` (it writes the date and binds it to this text)`,
    );
  } else if (tip.nextReview && tip.nextReview < tip.reviewed) {
    add(
      'reviewed',
      lineOf('next_review'),
      `next_review ${tip.nextReview} is before reviewed ${tip.reviewed}: give a later date, or delete it for reviewed + 12 months`,
    );
    return;
  }
  const stale = !tip.draft && staleReviewMessage(tip, 'tip');
  if (stale) add('review-stale', lineOf('reviewed'), stale, reviewSeverity);
  if (!tip.draft && tip.nextReview && tip.nextReview < now.toISOString().slice(0, 10)) {
    add(
      'review-due',
      lineOf(tip.fieldLines.next_review ? 'next_review' : 'reviewed'),
      `the tip was due for review on ${tip.nextReview}: check it against its sources again, then run \`${reviewCommand(tip.file)}\``,
      reviewSeverity,
    );
  }
}

/** A source listed twice serves no one: each source once. */
function repeatedSourceProblems({ tip, add, lineOf }: TipCheck): void {
  const seen = new Map<string, number>();
  tip.sources.forEach((s, i) => {
    const key = s.url.replace(/[/#]+$/, '').toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      add(
        'sources',
        lineOf(`sources.${i}.url`),
        `sources[${i}] repeats the address of sources[${first}] (${s.url}): list each source once`,
        'warning',
      );
  });
}

function placeholderMessage(where: string, marker: string): string {
  return `${where} still holds the placeholder text from \`newsletter new\` ("${marker}"): replace it with your own before publishing`;
}
