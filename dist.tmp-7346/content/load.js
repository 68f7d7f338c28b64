// ../../work/wt/h-studio/src/content/load.ts
import { bodyExpander } from "./expand.js";
import { readContentFiles } from "./files.js";
import { splitFrontMatter } from "./front-matter.js";
import { pageFields, pagesFromFiles } from "./pages.js";
import { parseRedFlags, urgentLines } from "./red-flags.js";
import { seriesFromFile } from "./series.js";
import { tipsFromFiles } from "./tips.js";
async function loadContent(contentDir, rootDir = process.cwd()) {
  return contentFromFiles(await readContentFiles(contentDir, rootDir));
}
function contentFromFiles(files) {
  const { series: settings, problems } = seriesFromFile(files.series);
  if (!settings) return { tips: [], problems };
  const style = { accent: settings.brandColor };
  const help = helpFile(files.pages);
  const checklist = help ? redFlagsOf(help) : void 0;
  const redFlags = checklist?.flags;
  const tips = tipsFromFiles(files.tips, style, bodyExpander(redFlags, settings.emergency));
  const pages = pagesFromFiles(
    files.pages?.files,
    style,
    bodyExpander(redFlags, settings.emergency, { stripMarkers: true })
  );
  const urgentTiers = redFlags ? urgentLines(redFlags, settings.emergency) : [];
  const urgent = urgentTiers.length > 0;
  const series = urgent ? { ...settings, urgentHelp: urgentTiers.join(" "), urgentTiers } : settings;
  return {
    series,
    tips: tips.tips,
    pages: pages.pages,
    ...redFlags ? { redFlags } : {},
    problems: [
      ...problems,
      ...checklist?.problems ?? [],
      ...urgent ? unusedUrgentHelp(files.series) : [],
      ...tips.problems,
      ...pages.problems,
      ...missingHelpPage(files.pages)
    ]
  };
}
function helpFile(pages) {
  const file = `${pages.folder}/help.md`.replace(/^\.\//, "");
  return pages.files?.find((f) => f.file === file);
}
function redFlagsOf(help) {
  const split = splitFrontMatter(help.text, help.file, { fields: pageFields, missing: "", example: "" });
  if (!split.ok) return { problems: [] };
  return parseRedFlags(split.markdown, help.file, split.bodyLine);
}
function unusedUrgentHelp(source) {
  const line = (source.text ?? "").split("\n").findIndex((l) => /^urgentHelp\s*:/.test(l));
  if (line < 0) return [];
  return [
    {
      severity: "warning",
      check: "series",
      file: source.file,
      line: line + 1,
      message: "urgentHelp is not used: every footer builds its urgent line from content/pages/help.md (the bold signs of its first two tiers). Delete it here and edit help.md"
    }
  ];
}
function missingHelpPage(pages) {
  const file = `${pages.folder}/help.md`.replace(/^\.\//, "");
  if (pages.files?.some((f) => f.file === file)) return [];
  return [
    {
      severity: "warning",
      check: "pages",
      file,
      message: 'the help page is missing: /help, which every email links to, shows only the urgent-help line. Write it (docs/editing.md, "The help page")'
    }
  ];
}
export {
  contentFromFiles,
  loadContent
};
//# sourceMappingURL=load.js.map
