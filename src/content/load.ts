import type { Problem } from '../problems.ts';
import { bodyExpander } from './expand.ts';
import { readContentFiles, type ContentFiles, type SourceFile } from './files.ts';
import { splitFrontMatter } from './front-matter.ts';
import { pageFields, pagesFromFiles, type ContentPage } from './pages.ts';
import { parseRedFlags, urgentLines, type RedFlags } from './red-flags.ts';
import { seriesFromFile, type Series } from './series.ts';
import { tipsFromFiles, type Tip } from './tips.ts';

/** Settings, valid tips and every problem found; plain data (JSON round-trips it unchanged). */
export interface Content {
  series?: Series;
  tips: Tip[];
  /** Pages editors own (`content/pages/*.md`): the help page. */
  pages?: ContentPage[];
  /** The red-flag checklist from help.md, which tips include (see red-flags.ts). */
  redFlags?: RedFlags;
  problems: Problem[];
}

/**
 * Everything editors write: `series.yml` and the tips. Tips are only rendered when the series
 * is valid, since their HTML uses its brand colour.
 */
export async function loadContent(contentDir: string, rootDir = process.cwd()): Promise<Content> {
  return contentFromFiles(await readContentFiles(contentDir, rootDir));
}

/** The content of files already read (see `readContentFiles`). */
export function contentFromFiles(files: ContentFiles): Content {
  const { series: settings, problems } = seriesFromFile(files.series);
  if (!settings) return { tips: [], problems };
  const style = { accent: settings.brandColor };
  const help = helpFile(files.pages);
  const checklist = help ? redFlagsOf(help) : undefined;
  const redFlags = checklist?.flags;
  const tips = tipsFromFiles(files.tips, style, bodyExpander(redFlags, settings.emergency));
  const pages = pagesFromFiles(
    files.pages?.files,
    style,
    bodyExpander(redFlags, settings.emergency, { stripMarkers: true }),
  );
  // The footer's urgent line comes from help.md, so it files each sign under the tier the page does.
  const urgentTiers = redFlags ? urgentLines(redFlags, settings.emergency) : [];
  const urgent = urgentTiers.length > 0;
  const series = urgent ? { ...settings, urgentHelp: urgentTiers.join(' '), urgentTiers } : settings;
  return {
    series,
    tips: tips.tips,
    pages: pages.pages,
    ...(redFlags ? { redFlags } : {}),
    problems: [
      ...problems,
      ...(checklist?.problems ?? []),
      ...(urgent ? unusedUrgentHelp(files.series) : []),
      ...tips.problems,
      ...pages.problems,
      ...missingHelpPage(files.pages),
    ],
  };
}

function helpFile(pages: ContentFiles['pages']): SourceFile | undefined {
  const file = `${pages.folder}/help.md`.replace(/^\.\//, '');
  return pages.files?.find((f) => f.file === file);
}

/** The checklist from help.md's body, read even when its front matter has a mistake (reported by the page). */
function redFlagsOf(help: SourceFile): { flags?: RedFlags; problems: Problem[] } {
  const split = splitFrontMatter(help.text, help.file, { fields: pageFields, missing: '', example: '' });
  if (!split.ok) return { problems: [] };
  return parseRedFlags(split.markdown, help.file, split.bodyLine);
}

/** series.yml's old `urgentHelp` no longer reaches a footer once help.md gives the line: say so, once. */
function unusedUrgentHelp(source: ContentFiles['series']): Problem[] {
  const line = (source.text ?? '').split('\n').findIndex((l) => /^urgentHelp\s*:/.test(l));
  if (line < 0) return [];
  return [
    {
      severity: 'warning',
      check: 'series',
      file: source.file,
      line: line + 1,
      message:
        'urgentHelp is not used: every footer builds its urgent line from content/pages/help.md (the bold signs of its first two tiers). Delete it here and edit help.md',
    },
  ];
}

/** Every email's footer links to /help: say so when the page it shows is not there at all. */
function missingHelpPage(pages: ContentFiles['pages']): Problem[] {
  const file = `${pages.folder}/help.md`.replace(/^\.\//, '');
  if (pages.files?.some((f) => f.file === file)) return [];
  return [
    {
      severity: 'warning',
      check: 'pages',
      file,
      message:
        'the help page is missing: /help, which every email links to, shows only the urgent-help line. Write it (docs/editing.md, "The help page")',
    },
  ];
}
