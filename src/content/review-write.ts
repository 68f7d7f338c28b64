import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { textFingerprint, type ReaderVisibleText } from './fingerprint.ts';
import { formatFieldHashes } from './review.ts';

/** One review to record: the day, the text reviewed, and a reviewer only when one was named. */
export interface ReviewEntry {
  date: string;
  by?: string | undefined;
  text: ReaderVisibleText;
}

/**
 * The file's front matter with the review recorded: `reviewed`, `reviewed_text` and
 * `reviewed_fields` set, `reviewed_by` set to the reviewer given or removed (a reviewer named
 * for an earlier text did not check this one), and a `next_review` that is no longer ahead of
 * the review dropped (the default, reviewed + 12 months, applies). Every other line, comments
 * and blank lines included, stays exactly as it was; the body is not touched.
 */
export function withReview(source: string, entry: ReviewEntry): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  if (lines[0] !== '---') throw new Error('the file does not start with front matter ("---")');
  const close = lines.indexOf('---', 1);
  if (close < 0) throw new Error('the front matter has no closing "---" line');
  let head = lines.slice(1, close);
  const body = lines.slice(close);

  const nextReview = valueOf(head, 'next_review');
  if (nextReview && nextReview.replace(/["']/g, '') <= entry.date) head = without(head, 'next_review');
  head = entry.by ? set(head, 'reviewed_by', JSON.stringify(entry.by), 'reviewed') : without(head, 'reviewed_by');
  head = set(head, 'reviewed', entry.date);
  head = set(head, 'reviewed_text', JSON.stringify(textFingerprint(entry.text)), 'reviewed');
  head = set(head, 'reviewed_fields', JSON.stringify(formatFieldHashes(entry.text)), 'reviewed_text');
  return ['---', ...head, ...body].join(eol);
}

/** The index of a top-level `key:` line, and how many lines its value spans (indented continuations). */
function find(head: readonly string[], key: string): { at: number; span: number } | undefined {
  const at = head.findIndex((l) => l.startsWith(`${key}:`));
  if (at < 0) return undefined;
  let span = 1;
  while (at + span < head.length && /^\s+\S/.test(head[at + span]!) && !/^\s*#/.test(head[at + span]!)) span++;
  return { at, span };
}

function valueOf(head: readonly string[], key: string): string | undefined {
  const found = find(head, key);
  return found ? head[found.at]!.slice(key.length + 1).trim() : undefined;
}

function without(head: readonly string[], key: string): string[] {
  const found = find(head, key);
  return found ? [...head.slice(0, found.at), ...head.slice(found.at + found.span)] : [...head];
}

/** Replaces `key:` in place, or adds it after `after:` (else at the end of the front matter). */
function set(head: readonly string[], key: string, value: string, after?: string): string[] {
  const line = `${key}: ${value}`;
  const found = find(head, key);
  if (found) return [...head.slice(0, found.at), line, ...head.slice(found.at + found.span)];
  const anchor = after ? find(head, after) : undefined;
  const at = anchor ? anchor.at + anchor.span : head.length;
  return [...head.slice(0, at), line, ...head.slice(at)];
}

/**
 * Writes the review into the file atomically: a temporary file beside it, then a rename, so an
 * editor's preview or a running site never reads half a file. `expected` is the text the
 * fingerprint was taken from: a file changed meanwhile is left alone.
 */
export async function recordReview(file: string, expected: string, entry: ReviewEntry): Promise<void> {
  const current = await readFile(file, 'utf8');
  if (current !== expected) throw new Error(`${file} changed while the review was being recorded: run it again`);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, withReview(current, entry), { flag: 'wx' });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
