/**
 * `newsletter subscribers import` of a generated CSV by the compiled command, in a fresh
 * process: wall time and peak RSS, for a first import and for the same file again (every row
 * then skipped as existing), the two cases that once took minutes and gigabytes.
 *
 *   npx tsx bench/import.ts 100000 1000000
 */
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot, tempProject } from '../tests/support/temp-project.ts';

const exec = promisify(execFile);
const bin = path.join(repoRoot, 'bin/newsletter.js');
const peakRssPreload = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const nodeFlags = readFileSync(bin, 'utf8')
  .split('\n')[0]!
  .split(/\s+/)
  .filter((w) => w.startsWith('--'));
const ZONES = ['', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

export interface ImportRun {
  seconds: number;
  peakRssMb: number;
  summary: string;
}

export interface ImportFigure {
  rows: number;
  first: ImportRun;
  again: ImportRun;
}

/** Writes `n` rows (with names and zones, a few bad ones) without holding the file in memory. */
async function writeCsv(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name,timezone\n');
  for (let i = 0; i < n; i++) {
    const line =
      i % 1000 === 999
        ? `not-an-address-${i},Bad,\n`
        : `reader${i}@example${i % 97}.org,Reader ${i},${ZONES[i % ZONES.length]}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function run(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<ImportRun> {
  const rssFile = path.join(cwd, 'peak-rss.json');
  const started = performance.now();
  // Exit 1 is expected: the generated file has bad rows on purpose.
  const r = await exec(process.execPath, [...nodeFlags, '--import', peakRssPreload, bin, ...args], {
    cwd,
    env: { ...env, BENCH_PEAK_RSS_FILE: rssFile },
    maxBuffer: 256 * 2 ** 20,
  }).catch((e: { stdout?: string; code?: number; stderr?: string }) => {
    if (e.code !== 1) throw new Error(`import failed (${e.code}): ${e.stderr?.slice(-500)}`);
    return { stdout: e.stdout ?? '' };
  });
  const seconds = (performance.now() - started) / 1000;
  const { peakRssMb } = JSON.parse(await readFile(rssFile, 'utf8')) as { peakRssMb: number };
  await rm(rssFile, { force: true });
  return { seconds, peakRssMb, summary: r.stdout.trim() };
}

export async function benchImport(n: number): Promise<ImportFigure> {
  const tp = await tempProject();
  const env = { ...process.env, NEWSLETTER_SECRET: 'bench-secret-that-is-at-least-32-bytes-long!!' };
  try {
    const file = path.join(tp.dir, 'list.csv');
    await writeCsv(file, n);
    await exec(process.execPath, [bin, 'migrate'], { cwd: tp.dir, env });
    const first = await run(tp.dir, env, ['subscribers', 'import', 'list.csv']);
    const again = await run(tp.dir, env, ['subscribers', 'import', 'list.csv']);
    return { rows: n, first, again };
  } finally {
    await tp.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const n of process.argv
    .slice(2)
    .map(Number)
    .filter(Boolean)
    .concat(process.argv.length > 2 ? [] : [100_000])) {
    const f = await benchImport(n);
    for (const [what, r] of [
      ['import', f.first],
      ['again', f.again],
    ] as const) {
      console.log(`${n} rows, ${what}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB; ${r.summary}`);
    }
  }
}
