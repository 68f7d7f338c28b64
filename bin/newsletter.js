#!/usr/bin/env node
// The `newsletter` command: runs the compiled JavaScript in dist/ (built by `npm ci`). When the
// TypeScript in src/ changed since that build, it rebuilds first (about 0.2 s), so an edited
// checkout never runs stale code; where the compiler is missing it says what to run instead.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src`;
const stampFile = `${root}dist/.source-fingerprint`;

if (existsSync(src)) {
  const { sourceFingerprint } = await import('../scripts/source-fingerprint.mjs');
  const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (built !== (await sourceFingerprint(src))) {
    let buildDist;
    try {
      ({ buildDist } = await import('../scripts/build.mjs'));
    } catch {
      process.stderr.write('newsletter: dist/ is missing or older than src/, and esbuild is not installed: run `npm ci` (or `npm run build`)\n');
      process.exit(1);
    }
    await buildDist({ quiet: true });
    process.stderr.write(`newsletter: src/ changed since the last build; rebuilt dist/\n`);
  }
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
