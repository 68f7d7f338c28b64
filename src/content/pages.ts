import path from 'node:path';
import { z } from 'zod';
import type { Problem } from '../problems.ts';
import type { SourceFile } from './files.ts';
import { splitFrontMatter } from './front-matter.ts';
import type { BodyExpander } from './expand.ts';
import {
  lineOfRaw,
  markdownToEmailHtml,
  markdownToWebHtml,
  type MarkdownFinding,
  type MarkdownStyle,
} from './markdown.ts';
import { tipFrontMatter } from './tip-schema.ts';
import type { TipSource } from './tips.ts';
import { addMonths } from './tips.ts';
import type { YamlSource } from './yaml-source.ts';
import { zodProblems } from './zod-problems.ts';
import { pageText } from './fingerprint.ts';
import { parseFieldHashes, reviewStatus, type ReviewStatus } from './review.ts';

/**
 * A page editors own (`content/pages/NAME.md`): the "when to get help" page today. It follows
 * the tips' rules for what makes health content trustworthy: sources, and the date (and
 * person) of its last check. Only the fields that make sense for a web page are allowed.
 */
export interface ContentPage {
  /** The file name without `.md`: `help`. */
  name: string;
  title: string;
  /** One line for search results and link previews. */
  description: string;
  sources: TipSource[];
  reviewed: string;
  reviewedBy?: string;
  nextReview: string;
  /** Whether the recorded review (`reviewed_text`) still vouches for the text: see review.ts. */
  review: ReviewStatus;
  /** The body as the editor wrote it (before includes are expanded): what a review vouches for. */
  sourceMarkdown: string;
  file: string;
  /** The line of the file the body starts on (for findings in it). */
  bodyLine: number;
  /** The body as HTML (same safe Markdown subset as the tips). */
  html: string;
  /** The body as HTML for the site: classes, no inline style. */
  webHtml: string;
}

export const pageFields = [
  'title',
  'description',
  'sources',
  'reviewed',
  'reviewed_by',
  'next_review',
  'reviewed_text',
  'reviewed_fields',
] as const;

// The tips' own field rules, so a source or a date is judged the same wherever an editor writes it.
const tipShape = tipFrontMatter.shape;
export const pageFrontMatter = z.object({
  title: tipShape.title,
  description: z
    .string({ error: 'is required: one line (at most 160 characters) for search results and link previews' })
    .trim()
    .min(1, 'must not be empty')
    .max(160, 'must be at most 160 characters'),
  sources: tipShape.sources,
  // Required below, with its own message: a page has no draft state, it is live once it exists.
  reviewed: tipShape.reviewed,
  reviewed_by: tipShape.reviewed_by,
  next_review: tipShape.next_review,
  reviewed_text: tipShape.reviewed_text,
  reviewed_fields: tipShape.reviewed_fields,
});

export interface PagesResult {
  pages: ContentPage[];
  problems: Problem[];
}

/** Parses every page file; a broken page is left out and reported with file, line and field. */
export function pagesFromFiles(
  files: readonly SourceFile[] | undefined,
  style: MarkdownStyle,
  expand?: BodyExpander,
): PagesResult {
  const pages: ContentPage[] = [];
  const problems: Problem[] = [];
  for (const { file, text } of files ?? []) {
    const r = parsePage(text, file, style, expand);
    problems.push(...r.problems);
    if (r.page) pages.push(r.page);
  }
  return { pages, problems };
}

export function parsePage(
  source: string,
  file: string,
  style: MarkdownStyle,
  expand?: BodyExpander,
): { page?: ContentPage; problems: Problem[] } {
  const problems: Problem[] = [];
  const err = (line: number | undefined, message: string, check = 'front-matter') =>
    problems.push({ severity: 'error', check, file, ...(line ? { line } : {}), message });
  const split = splitFrontMatter(source, file, {
    fields: pageFields,
    missing: 'the file must start with front matter between two "---" lines: title, description, sources, reviewed',
    example: '"title: ..." and "reviewed: 2026-11-28"',
  });
  problems.push(...split.problems);
  if (!split.ok) return { problems };
  const { yaml, data, markdown: sourceMarkdown, bodyLine } = split;
  const markdown = expandedBody(sourceMarkdown, file, bodyLine, expand, problems);
  if (data.reviewed === undefined || data.reviewed === null) {
    const line = yaml.topLevelKeys().find((k) => k.key === 'reviewed')?.line ?? 1;
    err(
      line,
      `reviewed is required: a page is live as soon as it exists, so check it against its sources, then run \`newsletter review ${path.basename(file, '.md')}\` (it writes the date and binds it to this text)`,
    );
  }
  const parsed = pageFrontMatter.safeParse(yaml.data);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, 'front-matter'));
  if (!markdown.trim()) err(bodyLine, 'the page has no body: write it below the front matter');
  const { html, findings } = markdownToEmailHtml(markdown, style);
  problems.push(...findingProblems(findings, sourceMarkdown, bodyLine, file));
  if (!parsed.success || hasError(problems)) return { problems };
  const dates = reviewDates(parsed.data, yaml, err);
  if (!dates || hasError(problems)) return { problems };
  return {
    problems,
    page: pageOf(parsed.data, dates, {
      file,
      bodyLine,
      html,
      webHtml: markdownToWebHtml(markdown).html,
      sourceMarkdown,
    }),
  };
}

const hasError = (problems: readonly Problem[]) => problems.some((p) => p.severity === 'error');

/** The body as readers see it: the help page's `{#id}` markers and `{{emergency}}` (see red-flags.ts). */
function expandedBody(
  sourceMarkdown: string,
  file: string,
  bodyLine: number,
  expand: BodyExpander | undefined,
  problems: Problem[],
): string {
  const expanded = expand?.(sourceMarkdown, file, bodyLine);
  problems.push(...(expanded?.problems ?? []));
  return expanded?.markdown ?? sourceMarkdown;
}

/** The Markdown renderer's findings at their lines in the file (the body's first line when not found in it). */
function findingProblems(
  findings: readonly MarkdownFinding[],
  sourceMarkdown: string,
  bodyLine: number,
  file: string,
): Problem[] {
  return findings.map((f) => {
    const inBody = lineOfRaw(sourceMarkdown, f.raw);
    return {
      severity: f.severity,
      check: f.check,
      file,
      line: inBody ? inBody + bodyLine - 1 : bodyLine,
      message: f.message,
    };
  });
}

type PageFrontMatter = z.infer<typeof pageFrontMatter>;

/** reviewed and next_review as days (next_review defaults to reviewed + 12 months); an error when next_review comes first. */
function reviewDates(
  fm: PageFrontMatter,
  yaml: YamlSource,
  err: (line: number | undefined, message: string) => void,
): { reviewed: string; nextReview: string } | undefined {
  const reviewed = isoDay(fm.reviewed);
  if (!reviewed) return undefined;
  const nextReview = isoDay(fm.next_review) ?? addMonths(reviewed, 12);
  if (nextReview < reviewed)
    err(
      yaml.lineOf(['next_review']),
      `next_review ${nextReview} is before reviewed ${reviewed}: set it after the review date`,
    );
  return { reviewed, nextReview };
}

function pageOf(
  fm: PageFrontMatter,
  dates: { reviewed: string; nextReview: string },
  body: Pick<ContentPage, 'file' | 'bodyLine' | 'html' | 'webHtml' | 'sourceMarkdown'>,
): ContentPage {
  const name = (body.file.split(/[\\/]/).pop() ?? body.file).replace(/\.md$/, '');
  const review = reviewStatus(
    {
      reviewed: dates.reviewed,
      reviewedText: fm.reviewed_text ?? undefined,
      reviewedFields: parseFieldHashes(fm.reviewed_fields),
    },
    pageText({ ...fm, sourceMarkdown: body.sourceMarkdown }),
  );
  return {
    name,
    title: fm.title,
    description: fm.description,
    sources: fm.sources,
    reviewed: dates.reviewed,
    ...(fm.reviewed_by ? { reviewedBy: fm.reviewed_by } : {}),
    nextReview: dates.nextReview,
    review,
    sourceMarkdown: body.sourceMarkdown,
    file: body.file,
    bodyLine: body.bodyLine,
    html: body.html,
    webHtml: body.webHtml,
  };
}

function isoDay(d: Date | string | null | undefined): string | undefined {
  if (d === null || d === undefined) return undefined;
  return d instanceof Date ? d.toISOString().slice(0, 10) : d;
}
