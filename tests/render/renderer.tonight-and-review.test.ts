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
    expect(shipped.stdout).toContain('Where this comes from (checked 2026-12-05):');
    expect(shipped.stdout).not.toContain('Reviewed by');

    const file = path.join(project.dir, 'content/tips/01-what-happens-in-your-calf.md');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace(/^reviewed: 2026-12-05$/m, 'reviewed: 2026-12-05\nreviewed_by: "Dr Ann Lee, GP"'),
    );
    const text = await runCli(['render', '1', '--text'], project.dir);
    expect(text.stdout).toContain('Where this comes from (checked 2026-12-05):\nReviewed by Dr Ann Lee, GP\n');
    const html = await runCli(['render', '1'], project.dir);
    expect(flat(convert(html.stdout, { wordwrap: false }))).toContain(
      'Where this comes from (checked 2026-12-05) Reviewed by Dr Ann Lee, GP',
    );

    await writeFile(file, original.replace(/^reviewed: 2026-12-05\n/m, ''));
    const unreviewed = await runCli(['render', '1', '--text'], project.dir);
    expect(unreviewed.code, unreviewed.stderr).toBe(0);
    expect(unreviewed.stdout).toContain('Where this comes from:');
    expect(unreviewed.stdout).not.toContain('(checked');
    await writeFile(file, original);
  });

  it('lose the line after any edit of the text, and get it back with `newsletter review`', async () => {
    const file = path.join(project.dir, 'content/tips/02-cramp-or-something-else.md');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace(/^reviewed: 2026-12-05$/m, 'reviewed: 2026-12-05\nreviewed_by: "Dr Ann Lee, GP"'),
    );
    expect((await runCli(['render', '2', '--text'], project.dir)).stdout).toContain('Reviewed by Dr Ann Lee, GP');

    // One word of the body changed: neither the date nor the reviewer vouches for it now.
    const before = await readFile(file, 'utf8');
    const bodyAt = before.indexOf('\n---\n', 4) + 5;
    const edited = before.slice(0, bodyAt) + before.slice(bodyAt).replace(/\bcramp\b/, 'spasm');
    await writeFile(file, edited);
    const after = await runCli(['render', '2', '--text'], project.dir);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('Where this comes from:');
    expect(after.stdout).not.toContain('(checked');
    expect(after.stdout).not.toContain('Reviewed by');
    const check = await runCli(['check'], project.dir);
    expect(check.stdout).toContain('content/tips/02-cramp-or-something-else.md:');
    expect(check.stdout).toMatch(
      /warning: body changed since the review of 2026-12-05.*`newsletter review 02-cramp-or-something-else`/,
    );
    const production = await runCli(['check', '--production', '--quiet'], project.dir, {
      NEWSLETTER_BASE_URL: 'https://news.example.org',
    });
    expect(production.stdout).toMatch(/02-cramp-or-something-else.md:\d+: body changed since the review of 2026-12-05/);

    // Recorded again without --by: the date moves, the reviewer of the old text is not kept.
    const review = await runCli(
      ['review', '02-cramp-or-something-else', '--date', '2026-12-06'],
      project.dir,
      {},
      new Date('2026-12-07T10:00:00Z'),
    );
    expect(review.code, review.stderr).toBe(0);
    const recorded = await readFile(file, 'utf8');
    expect(recorded).toMatch(/^reviewed: 2026-12-06$/m);
    expect(recorded).toMatch(/^reviewed_text: "[0-9a-f]{12}"$/m);
    expect(recorded).not.toContain('reviewed_by');
    // Nothing else in the file moved.
    expect(recorded.replace(/^reviewed.*\n/gm, '')).toBe(edited.replace(/^reviewed.*\n/gm, ''));
    const again = await runCli(['render', '2', '--text'], project.dir);
    expect(again.stdout).toContain('Where this comes from (checked 2026-12-06):');
    expect(again.stdout).not.toContain('Reviewed by');

    const named = await runCli(
      ['review', '2', '--by', 'Dr Ann Lee, GP'],
      project.dir,
      {},
      new Date('2026-12-07T10:00:00Z'),
    );
    expect(named.code, named.stderr).toBe(0);
    expect((await runCli(['render', '2', '--text'], project.dir)).stdout).toContain(
      'Where this comes from (checked 2026-12-07):\nReviewed by Dr Ann Lee, GP\n',
    );
    const future = await runCli(
      ['review', '2', '--date', '2026-12-31'],
      project.dir,
      {},
      new Date('2026-12-07T10:00:00Z'),
    );
    expect(future.code).toBe(2);
    await writeFile(file, original);
  });
});
