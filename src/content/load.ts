import type { Problem } from '../problems.ts';
import { readContentFiles, type ContentFiles } from './files.ts';
import { pagesFromFiles, type ContentPage } from './pages.ts';
import { seriesFromFile, type Series } from './series.ts';
import { tipsFromFiles, type Tip } from './tips.ts';

/** Settings, valid tips and every problem found; plain data (JSON round-trips it unchanged). */
export interface Content {
  series?: Series;
  tips: Tip[];
  /** Pages editors own (`content/pages/*.md`): the help page. */
  pages?: ContentPage[];
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
  const { series, problems } = seriesFromFile(files.series);
  if (!series) return { tips: [], problems };
  const tips = tipsFromFiles(files.tips, { accent: series.brandColor });
  const pages = pagesFromFiles(files.pages?.files, { accent: series.brandColor });
  return { series, tips: tips.tips, pages: pages.pages, problems: [...problems, ...tips.problems, ...pages.problems] };
}
