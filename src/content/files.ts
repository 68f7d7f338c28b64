import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One file editors wrote: its path relative to the project folder, and its text. */
export interface SourceFile {
  file: string;
  text: string;
}

/**
 * Every byte the content loader reads, read once. The loader parses exactly this snapshot, so
 * a cache keyed by it can never pair one version of a file with the result of another.
 */
export interface ContentFiles {
  /** `text` is absent when series.yml cannot be read. */
  series: { file: string; text?: string };
  /** `files` is absent when the tips folder cannot be read. */
  tips: { folder: string; files?: SourceFile[] };
  /** `content/pages/*.md` (the help page); `files` is absent when there is no pages folder. */
  pages: { folder: string; files?: SourceFile[] };
}

/**
 * Text that stands in for a file's bytes on disk, by its path relative to the project folder: the
 * studio checks and previews an editor's unsaved text through the very loader `check` uses.
 */
export type ContentOverrides = ReadonlyMap<string, string>;

export async function readContentFiles(
  contentDir: string,
  rootDir = process.cwd(),
  overrides?: ContentOverrides,
): Promise<ContentFiles> {
  const tips = await readTipFiles(path.join(contentDir, 'tips'), rootDir);
  // Same shape as the tips folder: every `*.md`, in file-name order.
  const pages = await readTipFiles(path.join(contentDir, 'pages'), rootDir);
  return {
    series: await readSeriesFile(contentDir, rootDir),
    tips: overrides ? override(tips, overrides) : tips,
    pages: overrides ? override(pages, overrides) : pages,
  };
}

function override(folder: ContentFiles['tips'], overrides: ContentOverrides): ContentFiles['tips'] {
  if (!folder.files) return folder;
  return { ...folder, files: folder.files.map((f) => ({ file: f.file, text: overrides.get(f.file) ?? f.text })) };
}

export async function readSeriesFile(contentDir: string, rootDir = process.cwd()): Promise<ContentFiles['series']> {
  const abs = path.join(contentDir, 'series.yml');
  const text = await readFile(abs, 'utf8').catch(() => undefined);
  return { file: relative(rootDir, abs), ...(text === undefined ? {} : { text }) };
}

/** Every `*.md` in the tips folder, in file-name order. */
export async function readTipFiles(tipsDir: string, rootDir = process.cwd()): Promise<ContentFiles['tips']> {
  const folder = relative(rootDir, tipsDir);
  let names: string[];
  try {
    names = (await readdir(tipsDir)).filter((n) => n.endsWith('.md')).sort();
  } catch {
    return { folder };
  }
  const files: SourceFile[] = [];
  for (const name of names) {
    const abs = path.join(tipsDir, name);
    files.push({ file: relative(rootDir, abs), text: await readFile(abs, 'utf8') });
  }
  return { folder, files };
}

const relative = (rootDir: string, abs: string) => path.relative(rootDir, abs) || abs;
