import type { z } from 'zod';
import type { Problem } from '../problems.ts';
import { readTipFiles, type ContentFiles } from './files.ts';
import { splitFrontMatter } from './front-matter.ts';
import { closingOf } from './closing.ts';
import {
  lineOfRaw,
  markdownToEmailHtml,
  markdownToWebHtml,
  type MarkdownFinding,
  type MarkdownStyle,
} from './markdown.ts';
import type { BodyExpander } from './expand.ts';
import { tipFields, tipFrontMatter } from './tip-schema.ts';
import { slugFromFileName } from './slug.ts';
import type { YamlSource } from './yaml-source.ts';
import { zodProblems } from './zod-problems.ts';
import { tipText } from './fingerprint.ts';
import { parseFieldHashes, reviewStatus, type ReviewStatus } from './review.ts';

export { slugFromFileName };

/** One `corrections:` entry: published on the tip page and feed, and sent to readers of an older text. */
export interface TipCorrection {
  /** YYYY-MM-DD, as written. */
  date: string;
  text: string;
  /**
   * Identity in the corrections' ledger: the date, `#2`, `#3` for a second or third entry of the
   * same date (in file order). Rewording an entry keeps its key, so nobody is told twice.
   */
  key: string;
}

export interface TipSource {
  title: string;
  url: string;
}

/** One tip of the series, validated and rendered to email-safe HTML. */
export interface Tip {
  /** Identity of the tip: the file name without `.md` and its leading number. */
  slug: string;
  week: number;
  title: string;
  subject: string;
  preheader: string;
  tonight?: string;
  sources: TipSource[];
  draft: boolean;
  /** Date an editor last checked the tip against its sources (`reviewed`), YYYY-MM-DD. */
  reviewed?: string;
  /** Name and role of the person who checked it (`reviewed_by`); only when a real person did. */
  reviewedBy?: string;
  /** When the tip is due for its next check (`next_review`, default `reviewed` + 12 months). */
  nextReview?: string;
  /** `corrections:` in file order (the page shows them newest first). */
  corrections: TipCorrection[];
  /** Whether the recorded review (`reviewed_text`) still vouches for the text: see review.ts. */
  review: ReviewStatus;
  /** 1-based line of each front matter field present (`tonight`, `sources.0.url`, …), for `check`'s messages. */
  fieldLines: Record<string, number>;
  /** Path relative to the project folder. */
  file: string;
  /** The body as readers get it: includes of help.md's red flags and `{{emergency}}` expanded. */
  markdown: string;
  /** The body as the editor wrote it (line `i` is file line `bodyLine + i`), for line-based checks. */
  sourceMarkdown: string;
  /** Body as email-safe HTML (no layout). */
  html: string;
  /** Body as HTML for the public site: the same elements with classes, no inline style. */
  webHtml: string;
  /**
   * The body's closing line (a last paragraph starting "Next week" or "Thank you"), as HTML: the
   * end of `html`, which the emails show after the "Try this tonight" box.
   */
  closingHtml?: string;
  /** The same closing line as web HTML: the end of `webHtml`, shown after the tip page's tonight box. */
  closingWebHtml?: string;
  /** 1-based line in `file` where the body starts. */
  bodyLine: number;
  /** 1-based line of the `week` field, for messages that span files. */
  weekLine: number;
}

export interface TipsResult {
  tips: Tip[];
  problems: Problem[];
}

/**
 * Reads every `*.md` in the tips folder. Problems are collected across all files, never thrown
 * one at a time, so an editor sees everything to fix in one run; valid tips are still returned.
 */
export async function loadTips(
  tipsDir: string,
  style: MarkdownStyle,
  rootDir = process.cwd(),
  expand?: BodyExpander,
): Promise<TipsResult> {
  return tipsFromFiles(await readTipFiles(tipsDir, rootDir), style, expand);
}

/**
 * Parses tip files already read; no `files` means the folder could not be read. `expand` resolves
 * the red-flag includes and `{{emergency}}` (see red-flags.ts); without it they are errors.
 */
export function tipsFromFiles(source: ContentFiles['tips'], style: MarkdownStyle, expand?: BodyExpander): TipsResult {
  if (!source.files) {
    return {
      tips: [],
      problems: [
        {
          severity: 'error',
          check: 'tips',
          file: source.folder,
          message: 'the tips folder is missing: create it and add a tip with `newsletter new "Title"`',
        },
      ],
    };
  }
  const problems: Problem[] = [];
  const tips: Tip[] = [];
  for (const { file, text } of source.files) {
    const result = parseTip(text, file, style, expand);
    problems.push(...result.problems);
    if (result.tip) tips.push(result.tip);
  }
  problems.push(...crossFileProblems(tips));
  const clashing = new Set(problems.filter((p) => p.check === 'unique').map((p) => p.file));
  return { tips: tips.filter((t) => !clashing.has(t.file)).sort((a, b) => a.week - b.week), problems };
}

function crossFileProblems(tips: Tip[]): Problem[] {
  const problems: Problem[] = [];
  const byWeek = new Map<number, Tip>();
  const bySlug = new Map<string, Tip>();
  for (const tip of tips) {
    const sameWeek = byWeek.get(tip.week);
    if (sameWeek) {
      problems.push({
        severity: 'error',
        check: 'unique',
        file: tip.file,
        line: tip.weekLine,
        message: `week ${tip.week} is already used by ${sameWeek.file}; give this tip the next free week`,
      });
    } else byWeek.set(tip.week, tip);
    const sameSlug = bySlug.get(tip.slug);
    if (sameSlug) {
      problems.push({
        severity: 'error',
        check: 'unique',
        file: tip.file,
        line: 1,
        message: `slug "${tip.slug}" is already used by ${sameSlug.file}; rename this file (the slug is the file name without its number)`,
      });
    } else bySlug.set(tip.slug, tip);
  }
  return problems;
}

interface ParsedTip {
  tip?: Tip;
  problems: Problem[];
}

/** Parses one tip file's text; `file` is only used in messages. */
export function parseTip(source: string, file: string, style: MarkdownStyle, expand?: BodyExpander): ParsedTip {
  const problems: Problem[] = [];
  const err = (line: number | undefined, message: string, check = 'front-matter') =>
    problems.push({ severity: 'error', check, file, ...(line ? { line } : {}), message });

  const split = splitFrontMatter(source, file, {
    fields: tipFields,
    missing:
      'the file must start with front matter between two "---" lines (run `newsletter new "Title"` for a template)',
    example: '"title: ..." and "week: 3"',
  });
  problems.push(...split.problems);
  if (!split.ok) return { problems };
  const { yaml, markdown: sourceMarkdown, bodyLine } = split;
  const expanded = (expand ?? noIncludes)(sourceMarkdown, file, bodyLine);
  problems.push(...expanded.problems);
  const { markdown } = expanded;
  const parsed = tipFrontMatter.safeParse(yaml.data);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, 'front-matter'));

  if (!markdown.trim()) err(bodyLine, 'the tip has no body: write the tip below the front matter');

  const slug = slugFromFileName(file);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
    err(
      1,
      `file name must be NN-words-with-hyphens.md (lowercase letters, digits, hyphens); "${slug}" is not`,
      'file-name',
    );
  }

  const { html, findings } = markdownToEmailHtml(markdown, style);
  problems.push(...findingProblems(findings, sourceMarkdown, bodyLine, file));

  if (!parsed.success || problems.some((p) => p.severity === 'error')) return { problems };
  const webHtml = markdownToWebHtml(markdown).html;
  const fm = parsed.data;
  const subject = fm.subject ?? fm.title;
  const preheader = fm.preheader ?? '';
  const tonight = fm.tonight ? expanded.inline(fm.tonight) : undefined;
  const dates = reviewDates(fm);
  const review = reviewStatus(
    {
      reviewed: dates.reviewed,
      reviewedText: fm.reviewed_text ?? undefined,
      reviewedFields: parseFieldHashes(fm.reviewed_fields),
    },
    tipText({ title: fm.title, subject, preheader, tonight, sources: fm.sources, sourceMarkdown }),
  );
  return {
    problems,
    tip: {
      slug,
      week: fm.week,
      title: fm.title,
      subject,
      preheader,
      ...(tonight ? { tonight } : {}),
      sources: fm.sources,
      draft: fm.draft,
      ...dates,
      review,
      corrections: correctionsOf(fm.corrections ?? []),
      fieldLines: fieldLinesOf(yaml, fm.sources.length),
      file,
      markdown,
      sourceMarkdown,
      html,
      webHtml,
      ...closingOf(markdown, { html, webHtml }, style),
      bodyLine,
      weekLine: yaml.lineOf(['week']),
    },
  };
}

/**
 * The Markdown renderer's findings at their lines in the file: one found in the source has its
 * line, one inside an include is reported at the body's start.
 */
function findingProblems(
  findings: readonly MarkdownFinding[],
  sourceMarkdown: string,
  bodyLine: number,
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const inBody = lineOfRaw(sourceMarkdown, f.raw);
    const line = inBody ? inBody + bodyLine - 1 : bodyLine;
    // `<b>x</b>` is two raw-HTML tokens on one line: one finding is enough.
    if (seen.has(`${f.check}:${line}:${f.check === 'raw-html' ? '' : f.message}`)) continue;
    seen.add(`${f.check}:${line}:${f.check === 'raw-html' ? '' : f.message}`);
    problems.push({ severity: f.severity, check: f.check, file, line, message: f.message });
  }
  return problems;
}

/** `reviewed`, `reviewed_by` and `next_review` (default `reviewed` + 12 months), each only when there is one. */
function reviewDates(fm: z.infer<typeof tipFrontMatter>): Pick<Tip, 'reviewed' | 'reviewedBy' | 'nextReview'> {
  const reviewed = isoDay(fm.reviewed);
  const nextReview = isoDay(fm.next_review) ?? (reviewed ? addMonths(reviewed, 12) : undefined);
  return {
    ...(reviewed ? { reviewed } : {}),
    ...(fm.reviewed_by ? { reviewedBy: fm.reviewed_by } : {}),
    ...(nextReview ? { nextReview } : {}),
  };
}

/** The entries with their ledger keys (see TipCorrection.key). */
function correctionsOf(entries: readonly { date: Date | string; text: string }[]): TipCorrection[] {
  const seen = new Map<string, number>();
  return entries.map(({ date, text }) => {
    const day = isoDay(date)!;
    const n = (seen.get(day) ?? 0) + 1;
    seen.set(day, n);
    return { date: day, text, key: n === 1 ? day : `${day}#${n}` };
  });
}

/** The line of each top-level field and of each source's title and url, for `check`'s messages. */
function fieldLinesOf(yaml: YamlSource, sources: number): Record<string, number> {
  const fieldLines: Record<string, number> = {};
  for (const { key, line } of yaml.topLevelKeys()) fieldLines[key] = line;
  for (let i = 0; i < sources; i++) {
    fieldLines[`sources.${i}.title`] = yaml.lineOf(['sources', i, 'title']);
    fieldLines[`sources.${i}.url`] = yaml.lineOf(['sources', i, 'url']);
  }
  return fieldLines;
}

/** Without help.md's checklist (a lone folder of tips): an include is an error, the rest as written. */
function noIncludes(markdown: string, file: string, bodyLine: number): ReturnType<BodyExpander> {
  const problems: Problem[] = [];
  markdown.split('\n').forEach((text, i) => {
    if (/\{\{/.test(text))
      problems.push({
        severity: 'error',
        check: 'include',
        file,
        line: bodyLine + i,
        message:
          "{{…}} needs the series' content/pages/help.md and series.yml: load the whole content folder (newsletter check does)",
      });
  });
  return { markdown, problems, inline: (s) => s };
}

/** A front matter date (YAML may read it as a Date) as YYYY-MM-DD. */
function isoDay(d: Date | string | null | undefined): string | undefined {
  if (d === null || d === undefined) return undefined;
  return d instanceof Date ? d.toISOString().slice(0, 10) : d;
}

/** `2026-11-28` + 12 months → `2027-11-28`; the 29th-31st clamp to the month's last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
