import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What `newsletter new` writes into a fresh tip. `check` looks for every one of these lines:
 * a published tip that still holds one of them is unfinished.
 */
export const SCAFFOLD = {
  preheader: 'One line for the inbox preview: what the reader will learn, 40 to 150 characters.',
  tonight: 'One concrete thing to try tonight, in one or two short sentences.',
  sourceTitle: 'Replace with the name of your source',
  sourceUrl: 'https://www.example.org/replace-with-the-page-you-used',
  body: [
    'Write the tip here in plain words: short sentences, one idea each.',
    '## A sub-heading',
    'Say "may help" where the evidence is weak, and never suggest stopping a medicine',
    'or starting a supplement without a doctor.',
    // A warning is an alert (see alerts.ts): it shows as "Important", apart from a plain quote.
    '> [!WARNING]\n> A safety warning, if the tip needs one: when to get help. Delete it if not.',
  ],
} as const;

/** Phrases that give away scaffold text even after light editing (the start of each line). */
export const SCAFFOLD_MARKERS: readonly string[] = [
  'Write the tip here',
  'A sub-heading',
  'where the evidence is weak, and never suggest stopping',
  'A safety warning, if the tip needs one',
  'One line for the inbox preview',
  'One concrete thing to try tonight, in one or two',
  SCAFFOLD.sourceTitle,
  SCAFFOLD.sourceUrl,
];

/** `Warm or cool?` → `warm-or-cool`. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

/** The week after the highest one used by any tip file, broken ones included. */
export async function nextFreeWeek(tipsDir: string): Promise<number> {
  let highest = 0;
  const names = existsSync(tipsDir) ? (await readdir(tipsDir)).filter((n) => n.endsWith('.md')) : [];
  for (const name of names) {
    const text = await readFile(path.join(tipsDir, name), 'utf8');
    const week = /^week:\s*(\d+)\s*$/m.exec(text)?.[1] ?? /^(\d+)/.exec(name)?.[1];
    if (week) highest = Math.max(highest, Number(week));
  }
  return highest + 1;
}

export function tipTemplate(title: string, week: number): string {
  const quoted = JSON.stringify(title);
  return `---
title: ${quoted}
week: ${week}
subject: ${JSON.stringify(`Week ${week}: ${title}`.slice(0, 78))}
preheader: ${JSON.stringify(SCAFFOLD.preheader)}
tonight: ${JSON.stringify(SCAFFOLD.tonight)}
# The sources this tip relies on (at least one). Replace this one with your own.
sources:
  - title: ${JSON.stringify(SCAFFOLD.sourceTitle)}
    url: ${SCAFFOLD.sourceUrl}
# Drafts show in the preview and are never sent. Delete this line when the tip is ready.
draft: true
# Required to publish: check the tip against its sources, then run \`newsletter review ${week}\`.
reviewed:
# Optional (\`newsletter review … --by\`): the person who checked it, only if a real person did.
# reviewed_by: "Dr Ann Lee, GP"
# Optional: when to check it again (default: reviewed + 12 months).
# next_review: 2027-11-28
---
${SCAFFOLD.body[0]}

${SCAFFOLD.body[1]}

${SCAFFOLD.body[2]}
${SCAFFOLD.body[3]}

${SCAFFOLD.body[4]}
`;
}

export type ScaffoldResult = { ok: true; file: string; week: number } | { ok: false; error: string };

/**
 * Writes a new draft tip, `NN-slug.md` with the next free week, into `tipsDir`: what `newsletter
 * new` and the studio's "New tip" both do. Never overwrites: a taken slug or name is an error.
 */
export async function scaffoldTip(tipsDir: string, title: string): Promise<ScaffoldResult> {
  const clean = title.trim();
  const slug = slugify(clean);
  if (!slug) return { ok: false, error: 'the title needs at least one letter or digit' };
  await mkdir(tipsDir, { recursive: true });
  const week = await nextFreeWeek(tipsDir);
  const taken = (await readdir(tipsDir)).find((n) => n.replace(/^\d+[-_.]?/, '') === `${slug}.md`);
  if (taken) return { ok: false, error: `content/tips/${taken} already has the slug "${slug}": choose another title` };
  const file = path.join(tipsDir, `${String(week).padStart(2, '0')}-${slug}.md`);
  await writeFile(file, tipTemplate(clean, week), { flag: 'wx' });
  return { ok: true, file, week };
}
