import { createHash } from 'node:crypto';

/**
 * The HTML standard's "valid e-mail address" (what a browser's `<input type=email>` accepts):
 * https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
 * It has no room for spaces, quotes, CR or LF, so a header can never be smuggled through it.
 */
const WHATWG_EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** RFC 5321's limits: a path of at most 256 octets (254 for the address), a local part of 64. */
export const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

export type AddressCheck = { ok: true; email: string; normalized: string } | { ok: false; reason: string };

/**
 * Validates an address the way a browser's type=email does, plus the length limits. The address
 * is kept as typed (trimmed of surrounding spaces, as a browser's value sanitisation does);
 * `normalized` is the lower-cased form that makes addresses unique case-insensitively.
 */
export function checkAddress(input: unknown): AddressCheck {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, reason: 'Please enter your email address.' };
  if (/[\r\n]/.test(input.replace(/^[\s]+|[\s]+$/g, ''))) return { ok: false, reason: 'An email address cannot contain line breaks.' };
  const email = input.trim();
  if (email.length > MAX_ADDRESS_LENGTH) return { ok: false, reason: `That address is too long (at most ${MAX_ADDRESS_LENGTH} characters).` };
  if (!WHATWG_EMAIL.test(email)) return { ok: false, reason: 'That does not look like an email address. Check it reads like name@example.org.' };
  if (email.indexOf('@') > MAX_LOCAL_LENGTH) return { ok: false, reason: `The part before the @ is too long (at most ${MAX_LOCAL_LENGTH} characters).` };
  return { ok: true, email, normalized: normalizeAddress(email) };
}

export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase();
}

/** What the suppression list keeps: sha256 hex of the normalized address, never the address. */
export function addressHash(email: string): string {
  return createHash('sha256').update(normalizeAddress(email)).digest('hex');
}
