import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editorBundle } from '../../src/preview/editor-bundle.ts';
import { repoRoot } from '../support/temp-project.ts';

describe("the edit pane's browser bundle", () => {
  it('is in dist/ after the build (global setup runs it), so an install serves it without building', async () => {
    const built = await readFile(path.join(repoRoot, 'dist/preview/assets/editor.js'), 'utf8');
    // CodeMirror is inside, and nothing is fetched from elsewhere at run time.
    expect(built).toContain('cm-editor');
    expect(built).not.toMatch(/\bimport\s*\(?\s*["']https?:/);
    expect(built).not.toMatch(/from\s*["']@codemirror/);
  });

  it('is served from dist/ when there, never rebuilt there at run time', async () => {
    const dir = path.join(repoRoot, 'dist/preview/assets');
    expect(await editorBundle(dir)).toBe(await readFile(path.join(dir, 'editor.js'), 'utf8'));
  });
});
