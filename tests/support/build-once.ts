// Builds dist/ once before the test files run, so every test that starts `bin/newsletter.js` in a
// child process runs the compiled code of this checkout (and none of them races to rebuild it).
export default async function buildOnce(): Promise<void> {
  // @ts-expect-error: a plain .mjs script without type declarations
  const { buildDist } = (await import('../../scripts/build.mjs')) as {
    buildDist(o: { quiet: boolean }): Promise<void>;
  };
  await buildDist({ quiet: true });
}
