import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'html-to-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent, type Tip } from '../../src/content/index.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

let project: TempProject;
let tips: Tip[];
beforeAll(async () => {
  project = await tempProject();
  tips = (await loadContent(path.join(project.dir, 'content'), project.dir)).tips;
});
afterAll(() => project.cleanup());

describe('every rendered tip email', () => {
  it('shows the tonight step once, in the callout, in HTML and text', async () => {
    const run = await runCli(['render', '--all', '--out', 'emails'], project.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(tips).toHaveLength(12);
    for (const tip of tips) {
      const base = path.join(project.dir, 'emails', path.basename(tip.file, '.md'));
      const tonight = flat(tip.tonight!);
      const text = flat(await readFile(`${base}.txt`, 'utf8'));
      const html = flat(convert(await readFile(`${base}.html`, 'utf8'), { wordwrap: false }));
      expect(occurrences(text, tonight), `${tip.file} (text)`).toBe(1);
      expect(occurrences(html, tonight), `${tip.file} (HTML)`).toBe(1);
      expect(text, tip.file).not.toMatch(/^## Tonight/im);
    }
  });
});

describe('the review lines of an email', () => {
  it('say "checked DATE" only when reviewed is set, and "Reviewed by NAME, ROLE" only when reviewed_by is', async () => {
    const shipped = await runCli(['render', '1', '--text'], project.dir);
    expect(shipped.stdout).toContain('Where this comes from (checked 2026-11-28):');
    expect(shipped.stdout).not.toContain('Reviewed by');

    const file = path.join(project.dir, 'content/tips/01-what-happens-in-your-calf.md');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace(/^reviewed: 2026-11-28$/m, 'reviewed: 2026-11-28\nreviewed_by: "Dr Ann Lee, GP"'),
    );
    const text = await runCli(['render', '1', '--text'], project.dir);
    expect(text.stdout).toContain('Where this comes from (checked 2026-11-28):\nReviewed by Dr Ann Lee, GP\n');
    const html = await runCli(['render', '1'], project.dir);
    expect(flat(convert(html.stdout, { wordwrap: false }))).toContain(
      'Where this comes from (checked 2026-11-28) Reviewed by Dr Ann Lee, GP',
    );

    await writeFile(file, original.replace(/^reviewed: 2026-11-28\n/m, ''));
    const unreviewed = await runCli(['render', '1', '--text'], project.dir);
    expect(unreviewed.code, unreviewed.stderr).toBe(0);
    expect(unreviewed.stdout).toContain('Where this comes from:');
    expect(unreviewed.stdout).not.toContain('(checked');
  });
});
