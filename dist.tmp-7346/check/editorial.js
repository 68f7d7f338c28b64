// ../../work/wt/h-studio/src/check/editorial.ts
import { convert } from "html-to-text";
import { fleschKincaid } from "flesch-kincaid";
import { syllable } from "syllable";
import { SCAFFOLD_MARKERS } from "../content/scaffold.js";
var MIN_WORDS = 250;
var MAX_WORDS = 450;
var DEFAULT_MAX_GRADE = 8;
function bodyText(html) {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "img", format: "skip" },
      // A warning's "Important" label is ours, not the editor's words.
      { selector: "p.important-label", format: "skip" }
    ]
  }).trim();
}
function countWords(text) {
  return text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
}
function readingGrade(text) {
  const sentence = text.split(/[.!?]+(?=\s|$)|\n+/).filter((s) => /[a-z]/i.test(s)).length;
  const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
  if (!sentence || !words.length) return 0;
  const syllables = words.reduce((n, w) => n + syllable(w.replace(/[^a-z'-]/gi, "")), 0);
  return fleschKincaid({ sentence, word: words.length, syllable: syllables });
}
var normalise = (s) => s.toLowerCase().replace(/[*_`"“”‘’']/g, "").replace(/\s+/g, " ").trim();
function editorialProblems(tips, series, now, pages = []) {
  const problems = [];
  const maxGrade = series.maxReadingGrade ?? DEFAULT_MAX_GRADE;
  for (const tip of tips) problems.push(...tipProblems(tip, maxGrade, now));
  for (const page of pages) problems.push(...pageProblems(page, maxGrade, now));
  return problems;
}
function pageProblems(page, maxGrade, now) {
  const problems = [];
  const grade = readingGrade(bodyText(page.html));
  if (grade > maxGrade) {
    problems.push({
      severity: "error",
      check: "reading-grade",
      file: page.file,
      line: page.bodyLine,
      message: `the page reads at US grade ${grade.toFixed(1)} (Flesch-Kincaid), above the series' limit of ${maxGrade} (maxReadingGrade in content/series.yml): use shorter sentences and shorter words`
    });
  }
  if (page.nextReview < now.toISOString().slice(0, 10)) {
    problems.push({
      severity: "warning",
      check: "review-due",
      file: page.file,
      message: `the page was due for review on ${page.nextReview}: check it against its sources again and set reviewed to the day you did`
    });
  }
  return problems;
}
function tipProblems(tip, maxGrade, now) {
  const problems = [];
  const severity = tip.draft ? "warning" : "error";
  const check = {
    tip,
    text: bodyText(tip.html),
    maxGrade,
    now,
    add: (rule, line, message, level = severity) => problems.push({ severity: level, check: rule, file: tip.file, ...line ? { line } : {}, message }),
    lineOf: (field) => tip.fieldLines[field] ?? 2
  };
  placeholderProblems(check);
  lengthAndGradeProblems(check);
  tonightProblems(check);
  reviewProblems(check);
  repeatedSourceProblems(check);
  return problems;
}
function placeholderProblems({ tip, add, lineOf }) {
  const fields = [
    ["title", tip.title],
    ["subject", tip.subject],
    ["preheader", tip.preheader],
    ["tonight", tip.tonight],
    ...tip.sources.flatMap((s, i) => [
      [`sources.${i}.title`, s.title],
      [`sources.${i}.url`, s.url]
    ])
  ];
  for (const [field, value] of fields) {
    const marker = value && SCAFFOLD_MARKERS.find((m) => value.includes(m));
    if (marker)
      add(
        "placeholder",
        lineOf(field),
        placeholderMessage(field.replace(/^sources\.(\d+)\.(\w+)$/, "sources[$1].$2"), marker)
      );
  }
  tip.sourceMarkdown.split("\n").forEach((text, i) => {
    const marker = SCAFFOLD_MARKERS.find((m) => text.includes(m));
    if (marker) add("placeholder", tip.bodyLine + i, placeholderMessage("the body", marker));
  });
}
function lengthAndGradeProblems({ tip, text, maxGrade, add }) {
  const words = countWords(text);
  if (words < MIN_WORDS || words > MAX_WORDS) {
    const fix = words < MIN_WORDS ? "write more" : "cut it down";
    add("words", tip.bodyLine, `the body has ${words} words; a published tip has ${MIN_WORDS} to ${MAX_WORDS}: ${fix}`);
  }
  const grade = readingGrade(text);
  if (grade > maxGrade) {
    add(
      "reading-grade",
      tip.bodyLine,
      `the body reads at US grade ${grade.toFixed(1)} (Flesch-Kincaid), above the series' limit of ${maxGrade} (maxReadingGrade in content/series.yml): use shorter sentences and shorter words`
    );
  }
}
function tonightProblems({ tip, text, add, lineOf }) {
  if (!tip.tonight) {
    add(
      "tonight",
      lineOf("tonight"),
      "tonight is required to publish: the one thing to try tonight, shown once as a callout after the tip"
    );
    return;
  }
  const lines = tip.sourceMarkdown.split("\n");
  const heading = lines.findIndex((l) => /^#{1,6}\s+(.*\s)?tonight\b/i.test(l));
  if (heading >= 0) {
    add(
      "tonight",
      tip.bodyLine + heading,
      `the body has its own "${lines[heading].replace(/^#+\s+/, "").trim()}" section, but the tonight field is already shown as a callout: keep the step in tonight only and delete this section`
    );
  }
  const tonight = normalise(tip.tonight);
  if (heading < 0 && normalise(text).includes(tonight)) {
    const start = tonight.slice(0, 30);
    const at = lines.findIndex((l) => normalise(l).includes(start));
    add(
      "tonight",
      tip.bodyLine + Math.max(at, 0),
      "the body repeats the tonight text, which is already shown as a callout: say it once, in tonight"
    );
  }
}
function reviewProblems({ tip, now, add, lineOf }) {
  if (!tip.reviewed) {
    add(
      "reviewed",
      lineOf("reviewed"),
      "reviewed is required to publish: the date you last checked the tip against its sources, e.g. reviewed: 2026-11-28"
    );
  } else if (tip.nextReview && tip.nextReview < tip.reviewed) {
    add(
      "reviewed",
      lineOf("next_review"),
      `next_review ${tip.nextReview} is before reviewed ${tip.reviewed}: give a later date, or delete it for reviewed + 12 months`
    );
  } else if (!tip.draft && tip.nextReview && tip.nextReview < now.toISOString().slice(0, 10)) {
    add(
      "review-due",
      lineOf(tip.fieldLines.next_review ? "next_review" : "reviewed"),
      `the tip was due for review on ${tip.nextReview}: check it against its sources again and set reviewed to the day you did`,
      "warning"
    );
  }
}
function repeatedSourceProblems({ tip, add, lineOf }) {
  const seen = /* @__PURE__ */ new Map();
  tip.sources.forEach((s, i) => {
    const key = s.url.replace(/[/#]+$/, "").toLowerCase();
    const first = seen.get(key);
    if (first === void 0) seen.set(key, i);
    else
      add(
        "sources",
        lineOf(`sources.${i}.url`),
        `sources[${i}] repeats the address of sources[${first}] (${s.url}): list each source once`,
        "warning"
      );
  });
}
function placeholderMessage(where, marker) {
  return `${where} still holds the placeholder text from \`newsletter new\` ("${marker}"): replace it with your own before publishing`;
}
export {
  DEFAULT_MAX_GRADE,
  MAX_WORDS,
  MIN_WORDS,
  bodyText,
  countWords,
  editorialProblems,
  readingGrade
};
//# sourceMappingURL=editorial.js.map
