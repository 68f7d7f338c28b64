import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The libraries whose output ends up in a cached entry. */
const LIBRARIES = ['mjml', 'handlebars', 'html-to-text', 'marked', 'gray-matter', 'yaml', 'zod'];

let memo: Promise<string> | undefined;

/**
 * A hash of the code that turns files into cached entries: this folder's and content/'s own
 * source, and the installed versions of the libraries they use. Part of every cache key, so a
 * code change or an upgrade never serves output of the old code. Read once per process.
 */
export function codeFingerprint(): Promise<string> {
  memo ??= compute().catch((e: unknown) => {
    memo = undefined;
    throw e;
  });
  return memo;
}

async function compute(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const dir of [here, path.join(here, '..', 'content')]) {
    for (const name of (await readdir(dir)).sort()) {
      const text = await readFile(path.join(dir, name)).catch(() => undefined);
      if (text) hash.update(`${path.basename(dir)}/${name}\0${text.length}\0`).update(text);
    }
  }
  for (const name of LIBRARIES) hash.update(`${name}@${await installedVersion(name, here)}\0`);
  return hash.digest('hex');
}

/** The version Node would load from `from`, found the way Node finds packages: up the folders. */
async function installedVersion(name: string, from: string): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = await readFile(path.join(dir, 'node_modules', name, 'package.json'), 'utf8').catch(
      () => undefined,
    );
    if (manifest) return (JSON.parse(manifest) as { version?: string }).version ?? '?';
    if (path.dirname(dir) === dir) return 'missing';
  }
}
