import { createHash } from 'node:crypto';

/**
 * What a reader sees of a tip or page: a review vouches for exactly this, and a correction is owed
 * to whoever got a version of it that differs. `week`, `draft` and the review fields are not in it:
 * moving a tip or recording a review changes nothing a reader reads.
 */
export interface ReaderVisibleText {
  title: string;
  subject?: string;
  preheader?: string;
  tonight?: string;
  sources: readonly { title: string; url: string }[];
  /**
   * The body as the editor wrote it (before includes are expanded): an included block, such as
   * help.md's red flags, is vouched for by the review of the page it comes from.
   */
  body: string;
}

/** The fields of a fingerprint, in the order they are hashed (and named in `check`'s messages). */
export const FINGERPRINT_FIELDS = ['title', 'subject', 'preheader', 'tonight', 'sources', 'body'] as const;
export type FingerprintField = (typeof FINGERPRINT_FIELDS)[number];

/** 12 hex digits (48 bits): short enough to read in front matter, far beyond any series' edits. */
const LENGTH = 12;

const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, LENGTH);

/** Line endings and trailing spaces are not an edit a reader can see: a CRLF checkout keeps its review. */
function normalise(s: string | undefined): string {
  return (s ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** One short hash per field, so a changed text can be reported field by field. */
export function fieldFingerprints(text: ReaderVisibleText): Record<FingerprintField, string> {
  return {
    title: hash(normalise(text.title)),
    subject: hash(normalise(text.subject)),
    preheader: hash(normalise(text.preheader)),
    tonight: hash(normalise(text.tonight)),
    sources: hash(JSON.stringify(text.sources.map((s) => [normalise(s.title), s.url.trim()]))),
    body: hash(normalise(text.body)),
  };
}

/** The fingerprint of the whole reader-visible text: the hash of its fields' hashes, in order. */
export function textFingerprint(text: ReaderVisibleText): string {
  const fields = fieldFingerprints(text);
  return hash(FINGERPRINT_FIELDS.map((f) => `${f}=${fields[f]}`).join('\n'));
}

/** The fields whose hash differs between two records, in the fixed order. */
export function changedFields(
  was: Partial<Record<FingerprintField, string>>,
  now: Record<FingerprintField, string>,
): FingerprintField[] {
  return FINGERPRINT_FIELDS.filter((f) => was[f] !== now[f]);
}

/** A tip's reader-visible text: the one adapter, so the ledger, reviews and corrections agree. */
export function tipText(tip: {
  title: string;
  subject: string;
  preheader: string;
  tonight?: string | undefined;
  sources: readonly { title: string; url: string }[];
  sourceMarkdown: string;
}): ReaderVisibleText {
  return {
    title: tip.title,
    subject: tip.subject,
    preheader: tip.preheader,
    tonight: tip.tonight,
    sources: tip.sources,
    body: tip.sourceMarkdown,
  };
}

/**
 * A page's reader-visible text (content/pages/*.md): its title, description (hashed in the
 * preheader's place: the line under the title in search results and link previews), sources and body.
 */
export function pageText(page: {
  title: string;
  description: string;
  sources: readonly { title: string; url: string }[];
  sourceMarkdown: string;
}): ReaderVisibleText {
  return { title: page.title, preheader: page.description, sources: page.sources, body: page.sourceMarkdown };
}
