import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SCAFFOLD } from '../content/scaffold.ts';
import { UsageError, type LeafCommand } from './command.ts';

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

const newTip: LeafCommand = {
  usage: 'newsletter new "Title"\n\nWrites content/tips/NN-slug.md as a draft with valid front matter.',
  positionals: { min: 1, max: 1 },
  async run({ positionals }, io) {
    const title = positionals[0]!.trim();
    const slug = slugify(title);
    if (!slug) throw new UsageError('the title needs at least one letter or digit');
    const tipsDir = path.join(io.cwd, 'content', 'tips');
    await mkdir(tipsDir, { recursive: true });
    const week = await nextFreeWeek(tipsDir);
    const file = path.join(tipsDir, `${String(week).padStart(2, '0')}-${slug}.md`);
    const taken = (await readdir(tipsDir)).find((n) => n.replace(/^\d+[-_.]?/, '') === `${slug}.md`);
    if (taken) {
      io.err(`content/tips/${taken} already has the slug "${slug}": choose another title`);
      return 1;
    }
    await writeFile(file, tipTemplate(title, week), { flag: 'wx' });
    io.out(path.relative(io.cwd, file));
    return 0;
  },
};

export default newTip;
