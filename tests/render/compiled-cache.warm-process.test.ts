import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';
import { useTempProject } from '../support/use-resource.ts';

/**
 * A pass in a real process of its own, with a recorder of every module it resolves: with a warm
 * compiled cache, none of the heavy tools is even loaded. A cold run first proves the recorder
 * sees them (and warms the cache).
 */
const run = promisify(execFile);
const child = path.join(repoRoot, 'tests/render/child');
const heavy = ['mjml', 'handlebars', 'marked', 'gray-matter', 'yaml', 'zod', 'html-to-text'];

const tp = useTempProject();

async function renderInChild() {
  const log = path.join(tp.dir, 'loads.log');
  await rm(log, { force: true });
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      path.join(child, 'record-loads.mjs'),
      path.join(child, 'dispatch-render.ts'),
      tp.dir,
    ],
    { cwd: repoRoot, env: { ...process.env, NCW_LOAD_LOG: log }, timeout: 45_000 },
  );
  const urls = (await readFile(log, 'utf8')).split('\n');
  const loaded = heavy.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)));
  return {
    result: JSON.parse(stdout.trim().split('\n').pop()!) as {
      emails: number;
      digest: string;
      ms: number;
      maxRssMb: number;
    },
    loaded,
  };
}

describe('a dispatch pass with a warm compiled cache', () => {
  it('loads no MJML, Handlebars, Markdown or YAML and renders the same emails', async () => {
    const cold = await renderInChild();
    expect(cold.loaded).toEqual(heavy);
    const warm = await renderInChild();
    expect(warm.loaded).toEqual([]);
    expect(warm.result.emails).toBe(cold.result.emails);
    expect(warm.result.digest).toBe(cold.result.digest);
  }, 120_000);
});
