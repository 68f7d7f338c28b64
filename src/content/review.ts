import {
  FINGERPRINT_FIELDS,
  fieldFingerprints,
  textFingerprint,
  type FingerprintField,
  type ReaderVisibleText,
} from './fingerprint.ts';

/**
 * A review record is bound to the text it vouches for. Beside `reviewed`, `reviewed_by` and
 * `next_review`, `newsletter review` writes two fields into the front matter:
 * - `reviewed_text`: the fingerprint (textFingerprint) of the reader-visible text reviewed;
 * - `reviewed_fields`: each field's own short hash (`title=… body=…`), so `check` can name the
 *   fields edited since.
 * The "Checked DATE" / "Reviewed by NAME" line is shown only while `reviewed_text` matches.
 */
export const REVIEW_RECORD_FIELDS = ['reviewed_text', 'reviewed_fields'] as const;

/** Characters of each field's hash kept in `reviewed_fields`: enough to tell which field changed. */
const FIELD_HASH_LENGTH = 8;

/** What the front matter says about the last review. */
export interface ReviewRecord {
  reviewed?: string | undefined;
  reviewedText?: string | undefined;
  reviewedFields?: Partial<Record<FingerprintField, string>> | undefined;
}

/**
 * Whether the review still vouches for the text: 'current' while the fingerprint matches;
 * 'changed' after an edit (the fields named when the record has them); 'unreviewed' when no
 * review of a text was ever recorded (a date alone, from before reviews were bound to text, is one).
 */
export type ReviewStatus =
  { state: 'current' } | { state: 'unreviewed' } | { state: 'changed'; fields: FingerprintField[] };

export function reviewStatus(record: ReviewRecord, text: ReaderVisibleText): ReviewStatus {
  if (!record.reviewed || !record.reviewedText) return { state: 'unreviewed' };
  if (record.reviewedText === textFingerprint(text)) return { state: 'current' };
  const now = fieldFingerprints(text);
  const was = record.reviewedFields;
  const fields = was
    ? FINGERPRINT_FIELDS.filter((f) => !was[f] || !now[f].startsWith(was[f]))
    : [...FINGERPRINT_FIELDS];
  return { state: 'changed', fields: fields.length ? fields : [...FINGERPRINT_FIELDS] };
}

/** `reviewed_fields` as written into the front matter: `title=1a2b3c4d subject=…`, in the fixed order. */
export function formatFieldHashes(text: ReaderVisibleText): string {
  const hashes = fieldFingerprints(text);
  return FINGERPRINT_FIELDS.map((f) => `${f}=${hashes[f].slice(0, FIELD_HASH_LENGTH)}`).join(' ');
}

/** `reviewed_fields` read back; unknown names and malformed parts are ignored (then "changed" names every field). */
export function parseFieldHashes(value: unknown): Partial<Record<FingerprintField, string>> | undefined {
  if (typeof value !== 'string') return undefined;
  const out: Partial<Record<FingerprintField, string>> = {};
  for (const part of value.trim().split(/\s+/)) {
    const m = /^([a-z]+)=([0-9a-f]{4,})$/.exec(part);
    if (m && (FINGERPRINT_FIELDS as readonly string[]).includes(m[1]!)) out[m[1] as FingerprintField] = m[2]!;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The review a reader may be shown: the date (and reviewer, only when one was recorded) while
 * the record still vouches for the text; nothing after an edit, until the next review.
 */
export function vouchedReview(item: {
  reviewed?: string | undefined;
  reviewedBy?: string | undefined;
  review: ReviewStatus;
}): { reviewed: string; reviewedBy?: string } | undefined {
  if (item.review.state !== 'current' || !item.reviewed) return undefined;
  return { reviewed: item.reviewed, ...(item.reviewedBy ? { reviewedBy: item.reviewedBy } : {}) };
}

/** The names `check` uses for the fields of a page: a page's `description` is hashed in the preheader's place. */
export function fieldNames(fields: readonly FingerprintField[], kind: 'tip' | 'page'): string[] {
  return fields.map((f) => (kind === 'page' && f === 'preheader' ? 'description' : f));
}
