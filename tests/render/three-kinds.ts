import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A tip with the three kinds of box a reader must tell apart: a warning (`> [!WARNING]`), a
 * plain quote, and the "Try this tonight" box. Written into a temp project by the tests of the
 * email (both schemes, text part) and of the public page, so they never depend on which tips
 * happen to hold a warning today.
 */
export const THREE_KINDS = {
  slug: 'three-kinds-of-box',
  file: 'content/tips/99-three-kinds-of-box.md',
  warning: 'Pain and swelling in one leg may be a blood clot. Get medical help today.',
  quote: 'Some people find that a warm bath before bed helps them.',
  tonight: 'Put a glass of water by your bed before you go to sleep.',
} as const;

/**
 * Plain paragraphs that bring the body to the 250 words a published tip needs: a tip with a
 * \`check\` error is kept off the site and out of every pass, and these tests need it on both.
 */
const FILLER = Array.from(
  { length: 6 },
  (_, i) =>
    `\nThis is filler paragraph ${i + 1} for the tests. It has short words and short lines. It says nothing a reader needs. It keeps the body long enough for the series' rules. Each line is plain. Each line is calm. The boxes come after it, as they would in a real tip.\n`,
).join('');

export const THREE_KINDS_TIP = `---
title: Three kinds of box
week: 99
preheader: A warning, a quote and the tonight box, side by side, for the tests.
tonight: ${THREE_KINDS.tonight}
sources:
  - title: NHS, Leg cramps
    url: https://www.nhs.uk/conditions/leg-cramps/
reviewed: 2026-11-28
---
The tip's own first paragraph, before the boxes.
${FILLER}
> [!WARNING]
> ${THREE_KINDS.warning}

> ${THREE_KINDS.quote}

The tip's own last paragraph, after them.
`;

/** Writes the tip into a project folder (a temp copy of the project). */
export async function writeThreeKindsTip(projectDir: string): Promise<void> {
  await writeFile(path.join(projectDir, THREE_KINDS.file), THREE_KINDS_TIP);
}
