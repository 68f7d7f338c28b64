// ../../work/wt/h-studio/src/content/tips.ts
import { readTipFiles } from "./files.js";
import { splitFrontMatter } from "./front-matter.js";
import { closingOf } from "./closing.js";
import {
  lineOfRaw,
  markdownToEmailHtml,
  markdownToWebHtml
} from "./markdown.js";
import { tipFields, tipFrontMatter } from "./tip-schema.js";
import { slugFromFileName } from "./slug.js";
import { zodProblems } from "./zod-problems.js";
async function loadTips(tipsDir, style, rootDir = process.cwd(), expand) {
  return tipsFromFiles(await readTipFiles(tipsDir, rootDir), style, expand);
}
function tipsFromFiles(source, style, expand) {
  if (!source.files) {
    return {
      tips: [],
      problems: [
        {
          severity: "error",
          check: "tips",
          file: source.folder,
          message: 'the tips folder is missing: create it and add a tip with `newsletter new "Title"`'
        }
      ]
    };
  }
  const problems = [];
  const tips = [];
  for (const { file, text } of source.files) {
    const result = parseTip(text, file, style, expand);
    problems.push(...result.problems);
    if (result.tip) tips.push(result.tip);
  }
  problems.push(...crossFileProblems(tips));
  const clashing = new Set(problems.filter((p) => p.check === "unique").map((p) => p.file));
  return { tips: tips.filter((t) => !clashing.has(t.file)).sort((a, b) => a.week - b.week), problems };
}
function crossFileProblems(tips) {
  const problems = [];
  const byWeek = /* @__PURE__ */ new Map();
  const bySlug = /* @__PURE__ */ new Map();
  for (const tip of tips) {
    const sameWeek = byWeek.get(tip.week);
    if (sameWeek) {
      problems.push({
        severity: "error",
        check: "unique",
        file: tip.file,
        line: tip.weekLine,
        message: `week ${tip.week} is already used by ${sameWeek.file}; give this tip the next free week`
      });
    } else byWeek.set(tip.week, tip);
    const sameSlug = bySlug.get(tip.slug);
    if (sameSlug) {
      problems.push({
        severity: "error",
        check: "unique",
        file: tip.file,
        line: 1,
        message: `slug "${tip.slug}" is already used by ${sameSlug.file}; rename this file (the slug is the file name without its number)`
      });
    } else bySlug.set(tip.slug, tip);
  }
  return problems;
}
function parseTip(source, file, style, expand) {
  const problems = [];
  const err = (line, message, check = "front-matter") => problems.push({ severity: "error", check, file, ...line ? { line } : {}, message });
  const split = splitFrontMatter(source, file, {
    fields: tipFields,
    missing: 'the file must start with front matter between two "---" lines (run `newsletter new "Title"` for a template)',
    example: '"title: ..." and "week: 3"'
  });
  problems.push(...split.problems);
  if (!split.ok) return { problems };
  const { yaml, markdown: sourceMarkdown, bodyLine } = split;
  const expanded = (expand ?? noIncludes)(sourceMarkdown, file, bodyLine);
  problems.push(...expanded.problems);
  const { markdown } = expanded;
  const parsed = tipFrontMatter.safeParse(yaml.data);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, "front-matter"));
  if (!markdown.trim()) err(bodyLine, "the tip has no body: write the tip below the front matter");
  const slug = slugFromFileName(file);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
    err(
      1,
      `file name must be NN-words-with-hyphens.md (lowercase letters, digits, hyphens); "${slug}" is not`,
      "file-name"
    );
  }
  const { html, findings } = markdownToEmailHtml(markdown, style);
  problems.push(...findingProblems(findings, sourceMarkdown, bodyLine, file));
  if (!parsed.success || problems.some((p) => p.severity === "error")) return { problems };
  const webHtml = markdownToWebHtml(markdown).html;
  const fm = parsed.data;
  return {
    problems,
    tip: {
      slug,
      week: fm.week,
      title: fm.title,
      subject: fm.subject ?? fm.title,
      preheader: fm.preheader ?? "",
      ...fm.tonight ? { tonight: expanded.inline(fm.tonight) } : {},
      sources: fm.sources,
      draft: fm.draft,
      ...reviewDates(fm),
      fieldLines: fieldLinesOf(yaml, fm.sources.length),
      file,
      markdown,
      sourceMarkdown,
      html,
      webHtml,
      ...closingOf(markdown, { html, webHtml }, style),
      bodyLine,
      weekLine: yaml.lineOf(["week"])
    }
  };
}
function findingProblems(findings, sourceMarkdown, bodyLine, file) {
  const problems = [];
  const seen = /* @__PURE__ */ new Set();
  for (const f of findings) {
    const inBody = lineOfRaw(sourceMarkdown, f.raw);
    const line = inBody ? inBody + bodyLine - 1 : bodyLine;
    if (seen.has(`${f.check}:${line}:${f.check === "raw-html" ? "" : f.message}`)) continue;
    seen.add(`${f.check}:${line}:${f.check === "raw-html" ? "" : f.message}`);
    problems.push({ severity: f.severity, check: f.check, file, line, message: f.message });
  }
  return problems;
}
function reviewDates(fm) {
  const reviewed = isoDay(fm.reviewed);
  const nextReview = isoDay(fm.next_review) ?? (reviewed ? addMonths(reviewed, 12) : void 0);
  return {
    ...reviewed ? { reviewed } : {},
    ...fm.reviewed_by ? { reviewedBy: fm.reviewed_by } : {},
    ...nextReview ? { nextReview } : {}
  };
}
function fieldLinesOf(yaml, sources) {
  const fieldLines = {};
  for (const { key, line } of yaml.topLevelKeys()) fieldLines[key] = line;
  for (let i = 0; i < sources; i++) {
    fieldLines[`sources.${i}.title`] = yaml.lineOf(["sources", i, "title"]);
    fieldLines[`sources.${i}.url`] = yaml.lineOf(["sources", i, "url"]);
  }
  return fieldLines;
}
function noIncludes(markdown, file, bodyLine) {
  const problems = [];
  markdown.split("\n").forEach((text, i) => {
    if (/\{\{/.test(text))
      problems.push({
        severity: "error",
        check: "include",
        file,
        line: bodyLine + i,
        message: "{{\u2026}} needs the series' content/pages/help.md and series.yml: load the whole content folder (newsletter check does)"
      });
  });
  return { markdown, problems, inline: (s) => s };
}
function isoDay(d) {
  if (d === null || d === void 0) return void 0;
  return d instanceof Date ? d.toISOString().slice(0, 10) : d;
}
function addMonths(day, months) {
  const [y, m, d] = day.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
export {
  addMonths,
  loadTips,
  parseTip,
  slugFromFileName,
  tipsFromFiles
};
//# sourceMappingURL=tips.js.map
