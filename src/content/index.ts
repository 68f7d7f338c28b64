import type { Content } from './load.ts';
import type { Tip } from './tips.ts';

export type { Content } from './load.ts';
export type { Series } from './series.ts';
export type { Tip, TipCorrection, TipSource } from './tips.ts';
export type { ContentPage } from './pages.ts';
export { slugFromFileName } from './slug.ts';
export { vouchedReview, type ReviewStatus } from './review.ts';
export { NO_HOLDS, siteTips, type TipHold, type TipHolds } from './holds.ts';

/**
 * Everything editors write: `series.yml` and the tips. The parsers (YAML, zod, gray-matter,
 * marked) are imported only here, on call, so code that merely handles tips stays light.
 */
export async function loadContent(contentDir: string, rootDir = process.cwd()): Promise<Content> {
  const { loadContent: load } = await import('./load.ts');
  return load(contentDir, rootDir);
}

/** Published tips (drafts are previewed, never sent), in week order. */
export function publishedTips(tips: readonly Tip[]): Tip[] {
  return tips.filter((t) => !t.draft).sort((a, b) => a.week - b.week);
}

/** A tip's corrections newest first (the order the page and the feed show them); same date: the later entry first. */
export function newestFirst<T extends { date: string }>(corrections: readonly T[]): T[] {
  return corrections
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.date === b.c.date ? b.i - a.i : a.c.date < b.c.date ? 1 : -1))
    .map(({ c }) => c);
}

/** A tip by week number (`3`) or slug (`stop-it-in-its-tracks`). */
export function findTip(tips: readonly Tip[], ref: string): Tip | undefined {
  return /^\d+$/.test(ref) ? tips.find((t) => t.week === Number(ref)) : tips.find((t) => t.slug === ref);
}

/**
 * A tip's body without its closing line ("Next week: …"), and that line: the emails and the tip
 * page put the "Try this tonight" box between the two.
 */
export function bodyParts(
  tip: Pick<Tip, 'html' | 'closingHtml' | 'webHtml' | 'closingWebHtml'>,
  target: 'email' | 'web' = 'email',
): { main: string; closing: string | null } {
  // Read once: a page is made from the tip's body once per content version.
  const [html, closingHtml] = target === 'web' ? [tip.webHtml, tip.closingWebHtml] : [tip.html, tip.closingHtml];
  if (!closingHtml || !html.endsWith(closingHtml)) return { main: html, closing: null };
  return { main: html.slice(0, html.length - closingHtml.length), closing: closingHtml };
}
