import { z } from 'zod';

/** Front matter fields a tip may have; anything else is reported (a typo like `tittle`). */
export const tipFields = [
  'title',
  'week',
  'subject',
  'preheader',
  'tonight',
  'sources',
  'draft',
  'reviewed',
  'reviewed_by',
  'next_review',
  'corrections',
  'reviewed_text',
  'reviewed_fields',
] as const;

export const PREHEADER_MAX = 150;

/** Emails link only to https (the contract), so a source must be one; said here, with its line. */
const SOURCE_URL_MESSAGE = 'must be an https:// address, e.g. https://www.nhs.uk/conditions/leg-cramps/';
const httpsUrl = z.string({ error: SOURCE_URL_MESSAGE }).refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname.includes('.');
  } catch {
    return false;
  }
}, SOURCE_URL_MESSAGE);

const source = z.object(
  {
    title: z.string({ error: 'is required: the name of the source' }).trim().min(1, 'must not be empty'),
    url: httpsUrl,
  },
  { error: 'must be a {title, url} pair' },
);

export const isoDate = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)], {
    error: 'must be a date like 2026-11-28',
  })
  .refine(
    (d) => (d instanceof Date ? !Number.isNaN(d.getTime()) : !Number.isNaN(Date.parse(`${d}T00:00:00Z`))),
    'must be a real date like 2026-11-28',
  );

/** A correction says what was wrong and what is right, in at most this many characters (two sentences). */
export const CORRECTION_MAX = 400;

const CORRECTION_TEXT_MESSAGE =
  'must be one or two plain sentences: what was wrong and what is right, e.g. "We said 10 minutes; it is 30 seconds."';

/**
 * One entry of `corrections:`. Plain text only: it goes into an email, the tip page and the feed,
 * each escaped, so Markdown or HTML would show as literal characters.
 */
const CORRECTION_DATE_MESSAGE = 'must be the date of the correction, like 2026-12-01';
const correctionDate = z
  .union([z.date(), z.string()], { error: CORRECTION_DATE_MESSAGE })
  .refine(
    (d) =>
      d instanceof Date
        ? !Number.isNaN(d.getTime())
        : /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)),
    CORRECTION_DATE_MESSAGE,
  );

const correction = z.object(
  {
    date: correctionDate,
    text: z
      .string({ error: CORRECTION_TEXT_MESSAGE })
      .trim()
      .min(1, CORRECTION_TEXT_MESSAGE)
      .max(CORRECTION_MAX, `must be at most ${CORRECTION_MAX} characters: one or two sentences`)
      .refine((t) => !/[<>*_`[\]]|\n\s*\n/.test(t), 'must be plain text (no Markdown or HTML, one paragraph)')
      .refine(
        (t) => (t.match(/[.!?](\s|$)/g) ?? []).length <= 2,
        'must be at most two sentences: say what was wrong and what is right',
      ),
  },
  { error: 'must be a {date, text} pair, e.g. {date: 2026-12-01, text: "…"}' },
);

/** The front matter of `content/tips/NN-slug.md`, as the contract defines it. */
export const tipFrontMatter = z.object({
  title: z.string({ error: "is required: the tip's headline" }).trim().min(1, 'must not be empty'),
  week: z
    .number({ error: 'must be a positive integer' })
    .int('must be a positive integer')
    .positive('must be a positive integer'),
  subject: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').optional(),
  preheader: z
    .string({ error: 'must be text' })
    .trim()
    .max(PREHEADER_MAX, `must be at most ${PREHEADER_MAX} characters (inbox previews cut the rest)`)
    .optional(),
  tonight: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').optional(),
  sources: z
    .array(source, { error: 'must list at least one source as {title, url}' })
    .min(1, 'must list at least one source as {title, url}'),
  draft: z.boolean({ error: 'must be true or false' }).default(false),
  // Left empty (`reviewed:`) by `newsletter new`: YAML reads that as null, the same as absent.
  reviewed: isoDate.nullish(),
  reviewed_by: z
    .string({ error: 'must be text: the name and role of the person who checked the tip, e.g. "Dr Ann Lee, GP"' })
    .trim()
    .min(1, 'must not be empty')
    .nullish(),
  next_review: isoDate.nullish(),
  corrections: z.array(correction, { error: 'must be a list of {date, text} entries' }).nullish(),
  // Written by `newsletter review` (see review.ts): the fingerprint of the text reviewed, and each field's hash.
  reviewed_text: z
    .string({ error: 'must be the fingerprint `newsletter review` writes: run it again instead of editing this line' })
    .regex(
      /^[0-9a-f]{12}$/,
      'must be the fingerprint `newsletter review` writes: run it again instead of editing this line',
    )
    .nullish(),
  reviewed_fields: z.string({ error: 'must be the field hashes `newsletter review` writes' }).nullish(),
});
