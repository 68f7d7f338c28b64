// A cheap fingerprint of src/: every file's path, size and modification time. bin/newsletter.js
// compares it with the one dist/ was built from, so a stale build never runs silently. Reading
// metadata only keeps the check at a few milliseconds for the whole tree.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

export const STAMP_FILE = '.source-fingerprint';

export async function sourceFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

export async function sourceFingerprint(dir) {
  const hash = createHash('sha256');
  for (const f of await sourceFiles(dir)) {
    const s = await stat(f);
    hash.update(`${path.relative(dir, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}
