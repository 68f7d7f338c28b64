import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The edit pane's browser code with CodeMirror, one file, as `npm run build` writes it into dist/. */
export const EDITOR_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'editor', 'main.js');

let built: Promise<string> | undefined;

/**
 * The bundle: from dist/ when built there (an install: `npm run build` made it, nothing is built
 * at run time); run from src/ (tests, `tsx`), it is bundled once on first request with esbuild.
 */
export function editorBundle(assetsDir: string): Promise<string> {
  built ??= readFile(path.join(assetsDir, 'editor.js'), 'utf8').catch(async () => {
    const { build } = await import('esbuild');
    const out = await build({ ...EDITOR_BUILD, entryPoints: [EDITOR_ENTRY], write: false });
    return out.outputFiles[0]!.text;
  });
  return built;
}

/** esbuild's options for the bundle; scripts/build.mjs (bundleEditor) uses the same ones. */
export const EDITOR_BUILD = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
} as const;
