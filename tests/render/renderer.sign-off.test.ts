import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'html-to-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent, type Tip } from '../../src/content/index.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

let project: TempProject;
let tips: Tip[];
beforeAll(async () => {
  project = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
  tips = (await loadContent(path.join(project.dir, 'content'), project.dir)).tips;
});
afterAll(() => project.cleanup());

describe('a tip email signs off after the "Try this tonight" box (issue 21, C2)', () => {
  it('every tip: the tonight box, then "Next week …" or "Thank you for reading", in the HTML and the text part', async () => {
    const run = await runCli(['render', '--all', '--out', 'emails'], project.dir, { NEWSLETTER_CACHE_DIR: 'off' });
    expect(run.code, run.stderr).toBe(0);
    expect(tips).toHaveLength(12);
    for (const tip of tips) {
      const closing = flat(convert(tip.closingHtml ?? '', { wordwrap: false }));
      expect(closing, `${tip.file} has a sign-off`).toMatch(/^(Next week|Thank you for reading)/);
      const base = path.join(project.dir, 'emails', path.basename(tip.file, '.md'));
      const text = flat(await readFile(`${base}.txt`, 'utf8'));
      const html = flat(convert(await readFile(`${base}.html`, 'utf8'), { wordwrap: false }));
      for (const [part, body] of [
        ['text', text],
        ['HTML', html],
      ] as const) {
        const box = body.indexOf(flat(tip.tonight!));
        const signOff = body.indexOf(closing);
        expect(box, `${tip.file} (${part}) shows tonight`).toBeGreaterThan(0);
        expect(signOff, `${tip.file} (${part}): the sign-off comes after the tonight box`).toBeGreaterThan(box);
        // Said once: the sign-off is not left in the body above the box as well.
        expect(body.split(closing).length - 1, `${tip.file} (${part})`).toBe(1);
        expect(
          body.indexOf('Where this comes from'),
          `${tip.file} (${part}): sources after the sign-off`,
        ).toBeGreaterThan(signOff);
      }
      expect(text.indexOf('TRY THIS TONIGHT'), tip.file).toBeLessThan(text.indexOf(closing));
    }
  });
});
