import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';

/**
 * The README is the front door and the guides live under docs/: a link that points nowhere, or a
 * guide the README does not reach, loses a reader. Every relative link in the README, docs/*.md
 * and bench/README.md must name a file that exists and, with a `#fragment`, a heading in it.
 */
const DOCS = readdirSync(path.join(repoRoot, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const PAGES = ['README.md', 'bench/README.md', ...DOCS];

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** The text outside fenced code blocks, where a `#` line is a heading and `[x](y)` a link. */
function prose(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .filter((line) => {
      if (/^\s*```/.test(line)) fenced = !fenced;
      return !fenced && !/^\s*```/.test(line);
    })
    .join('\n');
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as `-`. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, text] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = text!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Relative link targets in a page's prose (inline code and code blocks left out). */
function relativeLinks(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the README and the docs link to each other', () => {
  it('the README is a front door of at most 150 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(150);
  });

  it('the README links every guide in docs/ and bench/README.md', () => {
    const links = new Set(relativeLinks(read('README.md')).map((l) => l.split('#')[0]));
    for (const page of [...DOCS, 'bench/README.md']) expect(links, page).toContain(page);
  });

  it.each(PAGES)('every relative link in %s names a file and heading that exist', (page) => {
    const problems: string[] = [];
    for (const target of relativeLinks(read(page))) {
      const [file, fragment] = target.split('#') as [string, string | undefined];
      const resolved = file ? path.join(path.dirname(page), file) : page;
      if (!existsSync(path.join(repoRoot, resolved))) problems.push(`${target}: no file ${resolved}`);
      else if (fragment && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(fragment))
        problems.push(`${target}: no heading #${fragment} in ${resolved}`);
    }
    expect(problems).toEqual([]);
  });
});
