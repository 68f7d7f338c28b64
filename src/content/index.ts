import path from 'node:path';
import type { Problem } from '../problems.ts';
import { loadSeries, type Series } from './series.ts';
import { loadTips, type Tip } from './tips.ts';

export type { Series } from './series.ts';
export type { Tip, TipSource } from './tips.ts';
export { slugFromFileName } from './tips.ts';

export interface Content {
  series?: Series;
  tips: Tip[];
  problems: Problem[];
}

/**
 * Everything editors write: `series.yml` and the tips. Tips are only rendered when the series
 * is valid, since their HTML uses its brand colour.
 */
export async function loadContent(contentDir: string, rootDir = process.cwd()): Promise<Content> {
  const { series, problems } = await loadSeries(contentDir, rootDir);
  if (!series) return { tips: [], problems };
  const tips = await loadTips(path.join(contentDir, 'tips'), { accent: series.brandColor }, rootDir);
  return { series, tips: tips.tips, problems: [...problems, ...tips.problems] };
}

/** Published tips (drafts are previewed, never sent), in week order. */
export function publishedTips(tips: readonly Tip[]): Tip[] {
  return tips.filter((t) => !t.draft).sort((a, b) => a.week - b.week);
}

/** A tip by week number (`3`) or slug (`stop-it-in-its-tracks`). */
export function findTip(tips: readonly Tip[], ref: string): Tip | undefined {
  return /^\d+$/.test(ref) ? tips.find((t) => t.week === Number(ref)) : tips.find((t) => t.slug === ref);
}
