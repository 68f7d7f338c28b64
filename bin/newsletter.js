#!/usr/bin/env -S node --max-semi-space-size=1 --max-old-space-size=96
// The `newsletter` command: runs the compiled JavaScript in dist/ (built by `npm ci`). In a
// developer's checkout (a .git entry beside package.json, or NEWSLETTER_DEV=1), when the
// TypeScript in src/ changed since that build, it rebuilds first (about 0.2 s), so an edited
// checkout never runs stale code. An installed copy never writes into itself: a server process
// must not rebuild its own code, so a stale dist/ there stops with the command to run.
//
// The V8 flags on the first line (npm scripts pass the same): a pass makes short-lived garbage
// at a steady rate, and V8's defaults let the young generation grow to 32 MB and the old one
// drift up before collecting, resident memory that holds nothing live. The old generation's
// ceiling is three times what the site holds under a flood (its mail backlog included).
// `node bin/newsletter.js` without them works the same, with a larger heap.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src`;
const stampFile = `${root}dist/.source-fingerprint`;
const dev = process.env.NEWSLETTER_DEV === '1' || (process.env.NEWSLETTER_DEV !== '0' && existsSync(`${root}.git`));

if (existsSync(src)) {
  const { sourceFingerprint } = await import('../scripts/source-fingerprint.mjs');
  const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (built !== (await sourceFingerprint(src))) {
    if (!dev) {
      process.stderr.write(
        `newsletter: dist/ is missing or older than src/ in ${root.replace(/\/$/, '')}, and an install does not rebuild itself: run \`npm run build\` there (as the user that owns it), then start again\n`,
      );
      process.exit(1);
    }
    let buildDist;
    try {
      ({ buildDist } = await import('../scripts/build.mjs'));
    } catch {
      process.stderr.write(
        'newsletter: dist/ is missing or older than src/, and esbuild is not installed: run `npm ci` (or `npm run build`)\n',
      );
      process.exit(1);
    }
    await buildDist({ quiet: true });
    process.stderr.write(`newsletter: src/ changed since the last build; rebuilt dist/\n`);
  }
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
