import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ContentFiles } from '../content/files.ts';
import type { Series } from '../content/index.ts';
import type { EmailInput } from './compiled.ts';
import type { TemplateFile } from './template-files.ts';

/**
 * Names of cache entries: a readable label and a sha256 of everything the entry is made from.
 * Bump FORMAT when the meaning of an entry changes in a way the code fingerprint cannot see.
 */
const FORMAT = 'ncw-compiled-1';

const sha256 = (...parts: unknown[]) =>
  createHash('sha256')
    .update(JSON.stringify([FORMAT, ...parts]))
    .digest('hex');

/** The loaded content: every byte and path the loader reads (which includes none missing). */
export function contentEntry(code: string, files: ContentFiles): string {
  return `content-${sha256('content', code, files)}`;
}

/** What every email of a project shares: the code, every template, the series and the site. */
export function emailScope(
  code: string,
  templates: readonly TemplateFile[],
  rootDir: string,
  series: Series,
  baseUrl: string,
): string {
  const files = templates.map((t) => [path.relative(rootDir, t.abs), t.text]);
  return sha256('scope', code, files, series, baseUrl);
}

/** One compiled email: its scope and its own input (see `EmailInput`). */
export function emailEntry(scope: string, input: EmailInput): string {
  const label = (input.slug ? `tip-${input.slug}` : input.kind)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '_')
    .slice(0, 60);
  return `${label}-${sha256('email', scope, input)}`;
}
