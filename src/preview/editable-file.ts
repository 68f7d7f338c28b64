import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/** What an editor may open and save in the studio: a tip or a page, inside `content/`. */
export type EditableKind = 'tip' | 'page';

export type Resolved = { ok: true; rel: string; abs: string; kind: EditableKind } | { ok: false; error: string };

const SHAPE = /^content\/(tips|pages)\/[^/\\]+\.md$/;

/**
 * Resolves a path the page sent (`content/tips/03-x.md`) to a file the studio may write. Refused:
 * absolute paths, `..`, anything but `content/tips/*.md` or `content/pages/*.md`, and a symbolic
 * link (or a folder reached through one) that leads out of the content folder.
 */
export async function resolveEditable(rootDir: string, contentDir: string, asked: unknown): Promise<Resolved> {
  const refuse = { ok: false as const, error: 'only content/tips/*.md and content/pages/*.md can be edited here' };
  if (typeof asked !== 'string' || asked.length > 300 || path.isAbsolute(asked) || asked.includes('\\')) return refuse;
  const normal = path.posix.normalize(asked);
  if (normal !== asked || !SHAPE.test(normal)) return refuse;
  const abs = path.resolve(rootDir, normal);
  const contentReal = await realpath(contentDir).catch(() => undefined);
  if (!contentReal || path.resolve(rootDir, 'content') !== path.resolve(contentDir)) return refuse;
  try {
    if ((await lstat(abs)).isSymbolicLink()) return refuse;
    const real = await realpath(abs);
    if (!real.startsWith(contentReal + path.sep)) return refuse;
  } catch {
    // Not there (yet): its folder must still be the real one inside content/.
    const folderReal = await realpath(path.dirname(abs)).catch(() => undefined);
    if (!folderReal || !folderReal.startsWith(contentReal + path.sep)) return refuse;
  }
  return { ok: true, rel: normal, abs, kind: normal.startsWith('content/tips/') ? 'tip' : 'page' };
}
