// ../../work/wt/h-studio/src/content/pages.ts
import { z } from "zod";
import { splitFrontMatter } from "./front-matter.js";
import {
  lineOfRaw,
  markdownToEmailHtml,
  markdownToWebHtml
} from "./markdown.js";
import { tipFrontMatter } from "./tip-schema.js";
import { addMonths } from "./tips.js";
import { zodProblems } from "./zod-problems.js";
var pageFields = ["title", "description", "sources", "reviewed", "reviewed_by", "next_review"];
var tipShape = tipFrontMatter.shape;
var pageFrontMatter = z.object({
  title: tipShape.title,
  description: z.string({ error: "is required: one line (at most 160 characters) for search results and link previews" }).trim().min(1, "must not be empty").max(160, "must be at most 160 characters"),
  sources: tipShape.sources,
  // Required below, with its own message: a page has no draft state, it is live once it exists.
  reviewed: tipShape.reviewed,
  reviewed_by: tipShape.reviewed_by,
  next_review: tipShape.next_review
});
function pagesFromFiles(files, style, expand) {
  const pages = [];
  const problems = [];
  for (const { file, text } of files ?? []) {
    const r = parsePage(text, file, style, expand);
    problems.push(...r.problems);
    if (r.page) pages.push(r.page);
  }
  return { pages, problems };
}
function parsePage(source, file, style, expand) {
  const problems = [];
  const err = (line, message, check = "front-matter") => problems.push({ severity: "error", check, file, ...line ? { line } : {}, message });
  const split = splitFrontMatter(source, file, {
    fields: pageFields,
    missing: 'the file must start with front matter between two "---" lines: title, description, sources, reviewed',
    example: '"title: ..." and "reviewed: 2026-11-28"'
  });
  problems.push(...split.problems);
  if (!split.ok) return { problems };
  const { yaml, data, markdown: sourceMarkdown, bodyLine } = split;
  const markdown = expandedBody(sourceMarkdown, file, bodyLine, expand, problems);
  if (data.reviewed === void 0 || data.reviewed === null) {
    const line = yaml.topLevelKeys().find((k) => k.key === "reviewed")?.line ?? 1;
    err(
      line,
      "reviewed is required: a page is live as soon as it exists, so give the date you last checked it against its sources, e.g. reviewed: 2026-11-28"
    );
  }
  const parsed = pageFrontMatter.safeParse(yaml.data);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, "front-matter"));
  if (!markdown.trim()) err(bodyLine, "the page has no body: write it below the front matter");
  const { html, findings } = markdownToEmailHtml(markdown, style);
  problems.push(...findingProblems(findings, sourceMarkdown, bodyLine, file));
  if (!parsed.success || hasError(problems)) return { problems };
  const dates = reviewDates(parsed.data, yaml, err);
  if (!dates || hasError(problems)) return { problems };
  return {
    problems,
    page: pageOf(parsed.data, dates, { file, bodyLine, html, webHtml: markdownToWebHtml(markdown).html })
  };
}
var hasError = (problems) => problems.some((p) => p.severity === "error");
function expandedBody(sourceMarkdown, file, bodyLine, expand, problems) {
  const expanded = expand?.(sourceMarkdown, file, bodyLine);
  problems.push(...expanded?.problems ?? []);
  return expanded?.markdown ?? sourceMarkdown;
}
function findingProblems(findings, sourceMarkdown, bodyLine, file) {
  return findings.map((f) => {
    const inBody = lineOfRaw(sourceMarkdown, f.raw);
    return {
      severity: f.severity,
      check: f.check,
      file,
      line: inBody ? inBody + bodyLine - 1 : bodyLine,
      message: f.message
    };
  });
}
function reviewDates(fm, yaml, err) {
  const reviewed = isoDay(fm.reviewed);
  if (!reviewed) return void 0;
  const nextReview = isoDay(fm.next_review) ?? addMonths(reviewed, 12);
  if (nextReview < reviewed)
    err(
      yaml.lineOf(["next_review"]),
      `next_review ${nextReview} is before reviewed ${reviewed}: set it after the review date`
    );
  return { reviewed, nextReview };
}
function pageOf(fm, dates, body) {
  const name = (body.file.split(/[\\/]/).pop() ?? body.file).replace(/\.md$/, "");
  return {
    name,
    title: fm.title,
    description: fm.description,
    sources: fm.sources,
    reviewed: dates.reviewed,
    ...fm.reviewed_by ? { reviewedBy: fm.reviewed_by } : {},
    nextReview: dates.nextReview,
    file: body.file,
    bodyLine: body.bodyLine,
    html: body.html,
    webHtml: body.webHtml
  };
}
function isoDay(d) {
  if (d === null || d === void 0) return void 0;
  return d instanceof Date ? d.toISOString().slice(0, 10) : d;
}
export {
  pageFields,
  pageFrontMatter,
  pagesFromFiles,
  parsePage
};
//# sourceMappingURL=pages.js.map
