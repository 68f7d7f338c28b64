import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { publishedTips, type TipHold, type TipHolds } from '../content/index.ts';
import type { Project } from '../render/project.ts';
import { readTemplateFiles } from '../render/template-files.ts';
import { formatProblem } from '../problems.ts';
import { REVIEW_CHECKS, reviewCommand, staleReviewMessage } from './editorial.ts';
import { checkLoadedProject } from './run-checks.ts';

export interface ReleaseOptions {
  /** Hold tips whose text is unreviewed or overdue (series.yml `requireReview`; default: in production). */
  requireReview: boolean;
}

/**
 * The publish rules of the site and the sender, from the one function `newsletter check` runs
 * (checkLoadedProject): a published tip with any `check` error is blocked, one whose review no
 * longer vouches for its text (or is overdue) is held when a review is required. The review's
 * own findings are left to the hold: a tip edited since its review stays on the site (without
 * its "checked" line) and is only kept from readers' inboxes.
 */
export async function releaseHolds(
  config: Config,
  project: Project,
  now: Date,
  options: ReleaseOptions,
): Promise<TipHolds> {
  const key = await digest(config, project, now, options);
  const known = memo.get(key);
  if (known) return known;
  // Client support findings are all `info`, and only errors hold a tip: not judged here.
  const report = await checkLoadedProject(config, project, now, { clientSupport: false });
  const holds = new Map<string, TipHold>();
  const today = now.toISOString().slice(0, 10);
  for (const tip of publishedTips(project.tips)) {
    const errors = report.problems.filter(
      (p) => p.severity === 'error' && p.file === tip.file && !REVIEW_CHECKS.includes(p.check),
    );
    const base = { slug: tip.slug, week: tip.week, file: tip.file };
    if (errors.length) {
      holds.set(tip.slug, {
        ...base,
        kind: 'blocked',
        why: `${errors.length} check error${errors.length === 1 ? '' : 's'}, first ${formatProblem(errors[0]!)}`,
        release: 'fix what `newsletter check` lists for it',
      });
      continue;
    }
    if (!options.requireReview) continue;
    const stale = staleReviewMessage(tip, 'tip');
    const overdue = tip.nextReview && tip.nextReview < today ? `its review was due on ${tip.nextReview}` : undefined;
    const why = !tip.reviewed ? 'it has no review' : stale ? stale.split(', so the tip')[0]! : overdue;
    if (why) holds.set(tip.slug, { ...base, kind: 'held', why, release: reviewCommand(tip.file) });
  }
  memo.set(key, holds);
  if (memo.size > 8) memo.delete(memo.keys().next().value!);
  return holds;
}

/** A few recent answers, by what they were worked out from: an unchanged series is not checked again. */
const memo = new Map<string, TipHolds>();

/** What the answer depends on: the loaded content, the templates, the day and the rules. */
async function digest(config: Config, project: Project, now: Date, options: ReleaseOptions): Promise<string> {
  const templates = await readTemplateFiles(config.templatesDir).catch(() => []);
  return createHash('sha256')
    .update(
      JSON.stringify([
        project.series,
        project.tips,
        project.pages,
        project.problems,
        templates,
        config.baseUrl,
        config.production,
        options.requireReview,
        now.toISOString().slice(0, 10),
      ]),
    )
    .digest('hex');
}
