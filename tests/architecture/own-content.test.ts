import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureContent, repoRoot, tempProject } from '../support/temp-project.ts';

/**
 * content/ belongs to the editors: a new draft or a rewritten tip there must never break
 * `npm test`. The suite reads its own series (tests/fixtures/content) through `tempProject`;
 * these checks keep every test file to that.
 */
const testsDir = path.join(repoRoot, 'tests');
const self = 'architecture/own-content.test.ts';

function testSources(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return rel === 'fixtures' ? [] : testSources(path.join(dir, e.name), rel);
    return /\.(ts|mjs|js)$/.test(e.name) && rel !== self ? [rel] : [];
  });
}

/** Ways a test could take the repo itself as its project folder, and so read the editors' content/. */
const readsRepoContent: readonly { what: string; pattern: RegExp }[] = [
  { what: 'joins the repo root with content/', pattern: /repoRoot\s*,\s*['"`]content\b|\$\{repoRoot\}\/content\b/ },
  { what: 'runs a command in-process with the repo as its project', pattern: /runCli\([^;]*?,\s*repoRoot\s*[,)]/s },
];

/** The installed command reads content/ from its working folder. */
const runsCommandInRepo = (text: string) => text.includes('bin/newsletter.js') && /cwd:\s*repoRoot\b/.test(text);

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe("the suite never reads the editors' content/", () => {
  it('no test file takes the repo root as its project folder', () => {
    const findings = testSources(testsDir).flatMap((file) => {
      const text = readFileSync(path.join(testsDir, file), 'utf8');
      const found = readsRepoContent.filter((r) => r.pattern.test(text)).map((r) => `tests/${file} ${r.what}`);
      return runsCommandInRepo(text) ? [...found, `tests/${file} runs bin/newsletter.js with cwd: repoRoot`] : found;
    });
    expect(findings).toEqual([]);
  });

  it('a temp project carries the fixture series, whatever content/ holds', async () => {
    const project = await tempProject();
    try {
      const copied = await filesUnder(path.join(project.dir, 'content'));
      expect(copied).toEqual(await filesUnder(fixtureContent));
      expect(copied.filter((f) => f.startsWith('tips/'))).toHaveLength(12);
    } finally {
      await project.cleanup();
    }
  });
});
