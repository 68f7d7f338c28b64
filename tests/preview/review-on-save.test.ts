import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.ts';
import { contentFromFiles } from '../../src/content/load.ts';
import { readContentFiles } from '../../src/content/files.ts';
import { withReviewOnSave } from '../../src/preview/review-on-save.ts';

const TIP = 'content/tips/01-what-happens-in-your-calf.md';
const PAGE = 'content/pages/help.md';
const setReviewed = (text: string, day: string, by?: string) =>
  text.replace(/^reviewed: .*$/m, `reviewed: ${day}${by ? `\nreviewed_by: "${by}"` : ''}`);
const edited = (text: string) =>
  text.replace('Put a pen and paper by your bed.', 'Put a pen and a notepad by your bed.');

/**
 * The studio's "Record my review" sets the `reviewed` day; saving must bind that review to the
 * saved text, as `newsletter review` does, or `check` would call it stale at once.
 */
describe('a studio save that records a review', () => {
  let rootDir: string;
  let dirs: { contentDir: string; rootDir: string };
  const read = (file: string) => readFile(path.join(rootDir, file), 'utf8');
  /** The file as the loader reads it with `text` in its place: its review status. */
  const statusWith = async (file: string, text: string) => {
    const c = contentFromFiles(await readContentFiles(dirs.contentDir, rootDir, new Map([[file, text]])));
    return (c.tips.find((t) => t.file === file) ?? c.pages?.find((p) => p.file === file))!.review;
  };

  beforeAll(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), 'review-on-save-'));
    await cp(new URL('../fixtures/content', import.meta.url), path.join(rootDir, 'content'), { recursive: true });
    dirs = { contentDir: path.join(rootDir, 'content'), rootDir };
    expect((await loadContent(dirs.contentDir, rootDir)).tips.length).toBeGreaterThan(0);
  });
  afterAll(() => rm(rootDir, { recursive: true, force: true }));

  it('binds the review to the text saved: the day, no reviewer unless one was typed', async () => {
    const base = edited(await read(TIP));
    expect(await statusWith(TIP, base)).toEqual({ state: 'changed', fields: ['tonight'] });
    const saved = await withReviewOnSave(dirs, TIP, base, setReviewed(base, '2026-12-06'));
    expect(await statusWith(TIP, saved)).toEqual({ state: 'current' });
    expect(saved).toMatch(/^reviewed: 2026-12-06$/m);
    expect(saved).not.toMatch(/^reviewed_by:/m);
  });

  it('keeps a reviewer the editor typed, on a page too', async () => {
    const base = await read(PAGE);
    const saved = await withReviewOnSave(dirs, PAGE, base, setReviewed(base, '2026-12-06', 'Dr Ann Lee, GP'));
    expect(saved).toMatch(/^reviewed_by: "Dr Ann Lee, GP"$/m);
    expect(await statusWith(PAGE, saved)).toEqual({ state: 'current' });
  });

  it('leaves an edit without a new review day as typed: the old review goes stale', async () => {
    const base = await read(TIP);
    const text = edited(base);
    expect(await withReviewOnSave(dirs, TIP, base, text)).toBe(text);
  });
});
