import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent, type ContentPage, type Tip } from '../content/index.ts';
import { pageText, tipText } from '../content/fingerprint.ts';
import { recordReview } from '../content/review-write.ts';
import { UsageError, type LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

/** The text of every tip and page file, by absolute path. */
async function snapshot(contentDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const folder of ['tips', 'pages']) {
    const dir = path.join(contentDir, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.md')))
      out.set(path.join(dir, name), await readFile(path.join(dir, name), 'utf8'));
  }
  return out;
}

/** A review names a real day, never one still to come. */
function reviewDay(given: string | undefined, today: string): string {
  if (given === undefined) return today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(Date.parse(`${given}T00:00:00Z`)))
    throw new UsageError(`--date must be a day like 2026-12-05, not "${given}"`);
  if (new Date(`${given}T00:00:00Z`).toISOString().slice(0, 10) !== given)
    throw new UsageError(`--date ${given} is not a real day`);
  if (given > today) throw new UsageError(`--date ${given} is after today (${today}): record a review once it is done`);
  return given;
}

/** `3`, `stop-it-in-its-tracks`, `03-stop-it-in-its-tracks`, a path to the file, or a page's name (`help`). */
function findTarget(
  ref: string,
  tips: readonly Tip[],
  pages: readonly ContentPage[],
): { kind: 'tip'; tip: Tip } | { kind: 'page'; page: ContentPage } | undefined {
  const base = path.basename(ref).replace(/\.md$/, '');
  const tip = /^\d+$/.test(ref)
    ? tips.find((t) => t.week === Number(ref))
    : tips.find((t) => t.slug === base || path.basename(t.file, '.md') === base);
  if (tip) return { kind: 'tip', tip };
  const page = pages.find((p) => p.name === base);
  return page ? { kind: 'page', page } : undefined;
}

const review: LeafCommand = {
  usage: [
    'newsletter review <tip|page> [--by "Name, role"] [--date YYYY-MM-DD]',
    '',
    "Records a review of the tip's (or page's) current text in its front matter: reviewed (the",
    'date), reviewed_text (the fingerprint of what readers see) and reviewed_fields. Emails and',
    'pages show the "checked" line only while the text still matches; after any edit, run this again.',
    'The tip is its week (3), slug, or file name (03-stop-it-in-its-tracks); a page is its name (help).',
    '  --by    the name and role of the person who checked it; only when a real person did.',
    '          Without it, a reviewed_by left from an earlier text is removed.',
    '  --date  the day of the check (default: today); never a day to come',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  options: { by: { type: 'string' }, date: { type: 'string' } },
  run: ({ positionals, values }, io) =>
    withApp(io, async (app) => {
      const ref = positionals[0]!;
      const by = typeof values.by === 'string' ? values.by.trim() : undefined;
      if (values.by !== undefined && !by)
        throw new UsageError('--by needs a name and role, e.g. --by "Dr Ann Lee, GP"');
      const date = reviewDay(
        typeof values.date === 'string' ? values.date : undefined,
        io.now().toISOString().slice(0, 10),
      );
      const { config } = app;
      // Every file as it was before the content was loaded: a file edited meanwhile is not rewritten.
      const before = await snapshot(config.contentDir);
      const content = await loadContent(config.contentDir, config.rootDir);
      const target = findTarget(ref, content.tips, content.pages ?? []);
      if (!target) {
        const broken = content.problems.find(
          (p) => p.severity === 'error' && p.file && p.file.includes(path.basename(ref)),
        );
        io.err(
          broken
            ? `${broken.file} cannot be reviewed until it loads: ${broken.message} (newsletter check lists every problem)`
            : `no tip or page "${ref}": give a week (3), a slug, a file name (03-stop-it-in-its-tracks) or a page (help)`,
        );
        return 1;
      }
      const file = target.kind === 'tip' ? target.tip.file : target.page.file;
      const text = target.kind === 'tip' ? tipText(target.tip) : pageText(target.page);
      const absolute = path.resolve(config.rootDir, file);
      const loaded = before.get(absolute);
      if (loaded === undefined) {
        io.err(`${file} changed while the review was being recorded: run it again`);
        return 1;
      }
      await recordReview(absolute, loaded, { date, by, text });
      const who = by ? `by ${by}` : 'no reviewer named';
      io.out(`${file}: review of ${date} recorded (${who}); the "checked" line shows until the text is edited again`);
      if (target.kind === 'tip' && target.tip.draft)
        io.out('note: the tip is still a draft (draft: true): delete that line when it is ready to send');
      return 0;
    }),
};

export default review;
