import { readContentFiles, type ContentOverrides } from '../content/files.ts';
import type { Content } from '../content/index.ts';
import { contentEntry } from './cache-keys.ts';
import type { CompiledCache } from './compiled-cache.ts';

export interface CachedContent {
  content: Content;
  /** Its cache entry's name. */
  entry: string;
  /** Whether it was parsed now (so the entry is still to be written). */
  parsed: boolean;
}

/**
 * The project's content, from the cache when series.yml and every tip file are byte for byte
 * what they were: then no YAML, zod, gray-matter or marked is loaded. Problems are part of the
 * entry, so a broken tip is reported the same from the cache as from a fresh parse.
 */
export async function loadCachedContent(
  contentDir: string,
  rootDir: string,
  code: string,
  cache: CompiledCache | undefined,
  overrides?: ContentOverrides,
): Promise<CachedContent> {
  const files = await readContentFiles(contentDir, rootDir, overrides);
  const entry = contentEntry(code, files);
  const stored = await cache?.read(entry, isContent);
  if (stored) return { content: stored, entry, parsed: false };
  const { contentFromFiles } = await import('../content/load.ts');
  return { content: contentFromFiles(files), entry, parsed: true };
}

function isContent(v: unknown): v is Content {
  if (!isObject(v) || !Array.isArray(v.tips) || !Array.isArray(v.problems)) return false;
  if (
    v.pages !== undefined &&
    !(
      Array.isArray(v.pages) &&
      v.pages.every(
        (p) => isObject(p) && typeof p.name === 'string' && typeof p.html === 'string' && typeof p.webHtml === 'string',
      )
    )
  )
    return false;
  return (
    isObject(v.series) &&
    v.tips.every(isTip) &&
    v.problems.every((p) => isObject(p) && typeof p.severity === 'string' && typeof p.message === 'string')
  );
}

function isTip(v: unknown): boolean {
  if (!isObject(v)) return false;
  const strings = ['slug', 'title', 'subject', 'preheader', 'file', 'markdown', 'sourceMarkdown', 'html', 'webHtml'];
  const numbers = ['week', 'bodyLine', 'weekLine'];
  return (
    strings.every((k) => typeof v[k] === 'string') &&
    numbers.every((k) => typeof v[k] === 'number') &&
    typeof v.draft === 'boolean' &&
    isObject(v.fieldLines) &&
    Array.isArray(v.sources) &&
    v.sources.every((s) => isObject(s) && typeof s.title === 'string' && typeof s.url === 'string')
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
