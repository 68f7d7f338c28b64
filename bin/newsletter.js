#!/usr/bin/env -S node --max-semi-space-size=1
// (The flag keeps the young generation at 1 MB: a pass makes short-lived garbage at a steady rate,
// and a 16 MB young generation, V8's default, is 30 MB of resident memory for nothing. npm scripts
// pass it too; `node bin/newsletter.js` without it works the same, with a larger heap.)
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
