import { readContentFiles } from '../content/files.ts';
import { pageText, tipText } from '../content/fingerprint.ts';
import { readFields, splitText } from '../content/front-matter-edit.ts';
import { contentFromFiles } from '../content/load.ts';
import { withReview } from '../content/review-write.ts';

const reviewedOf = (text: string): { day?: string; by?: string } => {
  const split = splitText(text);
  const fields = split ? readFields(split.yaml) : undefined;
  if (!fields?.ok) return {};
  const { reviewed, reviewed_by: by } = fields.values;
  return {
    ...(typeof reviewed === 'string' && reviewed ? { day: reviewed } : {}),
    ...(typeof by === 'string' && by.trim() ? { by: by.trim() } : {}),
  };
};

/**
 * A save after "Record my review" (`record`), or whose `reviewed` day changed, records a review of the text being saved, exactly as
 * `newsletter review` does: the day, the reviewer only when one was typed, and the fingerprint of
 * this text (read through the same loader, the unsaved text in place of the file), so the
 * "checked" line shows until the next edit. Without it the studio's "Record my review" would
 * leave a review `check` calls stale at once. A text that does not load is saved as typed:
 * `check` says what is wrong with it.
 */
export async function withReviewOnSave(
  dirs: { contentDir: string; rootDir: string },
  file: string,
  base: string,
  text: string,
  record = false,
): Promise<string> {
  const was = reviewedOf(base).day;
  const { day, by } = reviewedOf(text);
  if (!day || (day === was && !record) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return text;
  const content = contentFromFiles(await readContentFiles(dirs.contentDir, dirs.rootDir, new Map([[file, text]])));
  const tip = content.tips.find((t) => t.file === file);
  if (tip) return withReview(text, { date: day, by, text: tipText(tip) });
  const page = content.pages?.find((p) => p.file === file);
  return page ? withReview(text, { date: day, by, text: pageText(page) }) : text;
}
