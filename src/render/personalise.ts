import { escapeHtml } from '../content/escape.ts';

/**
 * Per-recipient values are left in the compiled email as `%%ncw:NAME%%` markers, so MJML and
 * Handlebars run once per email; filling one recipient is a join over precomputed pieces.
 */
export const placeholderNames = [
  'greeting',
  'unsubscribeUrl',
  'preferencesUrl',
  'confirmUrl',
  'feedbackUrl',
  'firstTip',
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
export const placeholder = (name: PlaceholderName) => `%%ncw:${name}%%`;

/** A compiled text split at its placeholders: literal pieces and the names between them. */
export interface Fillable {
  pieces: string[];
  names: PlaceholderName[];
}

export function toFillable(compiled: string): Fillable {
  const parts = compiled.split(/%%ncw:([a-zA-Z]+)%%/);
  const pieces: string[] = [];
  const names: PlaceholderName[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) pieces.push(part);
    else if ((placeholderNames as readonly string[]).includes(part)) names.push(part as PlaceholderName);
    else throw new Error(`unknown placeholder %%ncw:${part}%%`);
  });
  return { pieces, names };
}

export function fill(f: Fillable, values: Partial<Record<PlaceholderName, string>>, escape: boolean): string {
  return joinFilled(f.pieces, f.names, values, escape ? escapeHtml : (value) => value);
}

/**
 * `pieces` joined with each name's value, put through `each`, between them: `fill` over the
 * compiled text, and `fillEncoded` over its quoted-printable pieces.
 */
export function joinFilled(
  pieces: readonly string[],
  names: readonly PlaceholderName[],
  values: Partial<Record<PlaceholderName, string>>,
  each: (value: string) => string,
): string {
  let out = pieces[0]!;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${name}: this email needs it`);
    out += each(value) + pieces[i + 1]!;
  }
  return out;
}

/** What one recipient brings to an email. The name is untrusted input. */
export interface Recipient {
  name?: string | null;
  unsubscribeUrl?: string;
  preferencesUrl?: string;
  confirmUrl?: string;
  /** A tip's signed "Did this help?" link, without the answer (the email adds `&answer=`). */
  feedbackUrl?: string;
  /** The welcome's sentence on when the first tip arrives, in the reader's zone. */
  firstTip?: string;
}

/** The longest first name kept: the forms' maxlength, the preferences check, the greeting. */
export const MAX_NAME_LENGTH = 80;

/** A first name made safe for a greeting: no control characters, trimmed, bounded. */
export function cleanName(name: string | null | undefined): string {
  return (name ?? '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_NAME_LENGTH);
}

export function recipientValues(r: Recipient): Partial<Record<PlaceholderName, string>> {
  const name = cleanName(r.name);
  return {
    greeting: name ? `Hi ${name},` : 'Hi there,',
    ...(r.unsubscribeUrl ? { unsubscribeUrl: r.unsubscribeUrl } : {}),
    ...(r.preferencesUrl ? { preferencesUrl: r.preferencesUrl } : {}),
    ...(r.confirmUrl ? { confirmUrl: r.confirmUrl } : {}),
    ...(r.feedbackUrl ? { feedbackUrl: r.feedbackUrl } : {}),
    // Sample readers (studio, check, render) have no schedule: a true sentence without a date.
    firstTip: r.firstTip ?? 'Your first tip arrives at your next evening send time.',
  };
}
