// A cheap fingerprint of src/: every file's path, size and modification time. bin/newsletter.js
// compares it with the one dist/ was built from, so a stale build never runs silently. Reading
// metadata only keeps the check at a few milliseconds for the whole tree.
import { readdir, readFile, stat } from 'node:fs/promises';
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

/**
 * Packages the build bundles into dist/vendor/ (see build.mjs): one file each instead of the
 * hundreds of modules their ESM builds are made of. Measured on Node 20 (peak RSS, 2026-12):
 * `newsletter --help` loads neither (50 MB either way); `stats` (kysely) 81 MB bundled, 82.5 MB
 * not; `subscribers add` (kysely and nodemailer) 74 MB bundled, 78 MB not. Kept: a few MB per
 * process, and per SMTP thread, for about 70 lines of build code.
 */
export const VENDORED = ['kysely', 'nodemailer'];

/** The installed version of a vendored package, so upgrading it makes dist/ stale too. */
async function vendoredVersion(root, name) {
  try {
    return JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

export async function sourceFingerprint(dir) {
  const hash = createHash('sha256');
  for (const f of await sourceFiles(dir)) {
    const s = await stat(f);
    hash.update(`${path.relative(dir, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  const root = path.dirname(dir);
  for (const name of VENDORED) hash.update(`vendor:${name}@${await vendoredVersion(root, name)}\n`);
  return hash.digest('hex');
}
