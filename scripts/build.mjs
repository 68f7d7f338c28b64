#!/usr/bin/env node
// Compiles src/ (TypeScript) into dist/ (JavaScript), one output file per source file, so what
// runs in production is plain Node.js with no TypeScript loader. Runs from `npm ci` (prepare),
// `npm run build`, and bin/newsletter.js when src/ changed since the last build.
// esbuild only strips types (fast, about 0.1 s); `npm test` type-checks with tsc.
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceFingerprint, sourceFiles, STAMP_FILE, VENDORED } from './source-fingerprint.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'src');
const distDir = path.join(root, 'dist');

/**
 * Relative imports are written with `.ts` in the source (tsc's allowImportingTsExtensions); the
 * compiled files import each other as `.js`. Every import stays external: this is a transpile of
 * the tree, not a bundle, so `import.meta.url` paths (the SMTP worker, the studio's assets) hold.
 * A vendored package (exactly its name, not a subpath) is imported from its bundle in dist/vendor/.
 */
const keepImportsExternal = {
  name: 'keep-imports-external',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (VENDORED.includes(args.path)) {
        const from = path.dirname(path.relative(srcDir, args.importer));
        const to = path.posix.join(...path.relative(from, path.join('vendor', `${args.path}.js`)).split(path.sep));
        return { path: to.startsWith('.') ? to : `./${to}`, external: true };
      }
      const spec = args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path;
      return { path: spec, external: true };
    });
  },
};

/** Each vendored package as one ES module, its default export (if any) and named exports kept. */
async function bundleVendored(outDir) {
  for (const name of VENDORED) {
    const { default: _default, ...named } = await import(name);
    const spec = JSON.stringify(name);
    const contents = `${_default === undefined ? '' : `export { default } from ${spec};\n`}${Object.keys(named).length ? `export * from ${spec};\n` : ''}`;
    await build({
      stdin: { contents, resolveDir: root, sourcefile: `vendor-${name}.js` },
      outfile: path.join(outDir, 'vendor', `${name}.js`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      legalComments: 'inline',
      logLevel: 'warning',
    });
  }
}

/**
 * The studio's edit pane runs in the browser with CodeMirror: one bundle, served from the
 * studio's own origin (no CDN), built here so an install (`npm ci --omit=dev`) carries it.
 * The options match src/preview/editor-bundle.ts, which bundles the same way when run from src/.
 */
async function bundleEditor(outDir) {
  await build({
    entryPoints: [path.join(srcDir, 'preview', 'editor', 'main.js')],
    outfile: path.join(outDir, 'preview', 'assets', 'editor.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

/** Builds into a fresh folder, then swaps it in, so a concurrent run never sees half a build. */
export async function buildDist({ quiet = false } = {}) {
  const started = performance.now();
  const fingerprint = await sourceFingerprint(srcDir);
  const files = await sourceFiles(srcDir);
  const tmp = `${distDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await build({
    entryPoints: files.filter(
      (f) =>
        /\.(ts|js)$/.test(f) &&
        !f.endsWith('.d.ts') &&
        !f.includes(`${path.sep}assets${path.sep}`) &&
        !f.includes(`${path.sep}preview${path.sep}editor${path.sep}`),
    ),
    outdir: tmp,
    outbase: srcDir,
    bundle: true,
    plugins: [keepImportsExternal],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await bundleVendored(tmp);
  // Files the code reads at run time beside itself (the studio's browser code and styles).
  for (const f of files.filter((f) => f.includes(`${path.sep}assets${path.sep}`))) {
    const to = path.join(tmp, path.relative(srcDir, f));
    await mkdir(path.dirname(to), { recursive: true });
    await cp(f, to);
  }
  await bundleEditor(tmp);
  await writeFile(path.join(tmp, STAMP_FILE), `${fingerprint}\n`);
  const old = `${distDir}.old-${process.pid}`;
  await rename(distDir, old).catch((e) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await rename(tmp, distDir);
  await rm(old, { recursive: true, force: true });
  if (!quiet)
    console.error(`built dist/ from src/ (${files.length} files) in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDist();
}
