import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring, purpose-bound tokens for every link in an email: `payload.signature`, both
 * base64url, the payload `{p: purpose, s: subject, e: expiry (unix seconds)}`, signed with
 * HMAC-SHA256. A token for one purpose never works for another.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences' | 'feedback' | 'feedback-web' | 'probe';

export const tokenLifetimeDays: Record<TokenPurpose, number> = {
  confirm: 7,
  // Links in sent emails must keep working for as long as a reader may keep the email.
  unsubscribe: 365,
  preferences: 365,
  // "Did this help?" in a tip: one reader and one tip (subject `publicId:slug`), as long as the tip's other links.
  feedback: 365,
  // The comment box after an anonymous answer on the web: names one answer row, for a day.
  'feedback-web': 1,
  // `newsletter doctor`'s POST to the one-click unsubscribe: names nobody, changes nothing, used at once.
  probe: 1,
};

export type TokenCheck =
  | { ok: true; subject: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function signature(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`ncw-token-v1.${payload}`).digest();
}

export function signToken(secret: string, purpose: TokenPurpose, subject: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + tokenLifetimeDays[purpose] * 86_400;
  const payload = b64(JSON.stringify({ p: purpose, s: subject, e: expires }));
  return `${payload}.${b64(signature(secret, payload))}`;
}

/**
 * The keys a signed thing may carry: `secret` (NEWSLETTER_SECRET) signs and verifies;
 * `previousSecrets` (NEWSLETTER_SECRET_PREVIOUS, after a rotation) only verify, until what they
 * signed expires. Deps objects that hold a `secret` take the previous keys beside it, so passing
 * the deps passes both.
 */
export interface SigningKeys {
  secret: string;
  previousSecrets?: readonly string[] | undefined;
}

/** Every purpose anything is signed for: links (`TokenPurpose`) and return paths (`ShortTokenPurpose`). */
export type SignedPurpose = TokenPurpose | ShortTokenPurpose;

/** One key as such (tests, a key made for one use), a list, or the keys of a running newsletter. */
export type VerifyingKeys = string | readonly string[] | SigningKeys;

function keyList(keys: VerifyingKeys): readonly string[] {
  if (typeof keys === 'string') return [keys];
  if ('secret' in keys) return [keys.secret, ...(keys.previousSecrets ?? [])];
  return keys as readonly string[];
}

const shortPurposes: readonly SignedPurpose[] = ['bounce', 'bounce-system', 'cfbl'];
const isShortPurpose = (purpose: SignedPurpose): purpose is ShortTokenPurpose => shortPurposes.includes(purpose);

/**
 * The one check of everything this newsletter signed, for every purpose: the links in emails
 * (confirm, unsubscribe, preferences, feedback, the web comment token) and the return paths
 * (tips', and confirmations', welcomes' and goodbyes'). It tries the current key and, after a
 * rotation, the previous one(s): every key is compared (constant time each), so the answer's
 * timing does not say which key matched. Nothing else verifies a signature, so no purpose can
 * forget the previous key.
 */
export function verifyToken(keys: VerifyingKeys, token: unknown, purpose: SignedPurpose, now: Date): TokenCheck {
  const secrets = keyList(keys);
  return isShortPurpose(purpose) ? verifyShort(secrets, token, purpose, now) : verifyLink(secrets, token, purpose, now);
}

function verifyLink(secrets: readonly string[], token: unknown, purpose: TokenPurpose, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > 1024) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [payload, sig] = parts as [string, string];
  const given = Buffer.from(sig, 'base64url');
  let matched = false;
  for (const secret of secrets) {
    const expected = signature(secret, payload);
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad-signature' };
  let body: { p?: unknown; s?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof body.s !== 'string' || typeof body.e !== 'number' || typeof body.p !== 'string')
    return { ok: false, reason: 'malformed' };
  if (body.p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (body.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject: body.s, expiresAt: new Date(body.e * 1000) };
}

/**
 * Short tokens for where a link token does not fit: the local part of a return path (at most 64
 * characters, and an MTA may lower-case it). `subject-expiry-signature`, all lower-case base 36
 * and hex: the subject ([a-z0-9]), the expiry in days since the epoch, and 96 bits of the same
 * purpose-bound HMAC as the link tokens.
 */
/**
 * `bounce`: a tip delivery's return path; `bounce-system`: a confirmation's, welcome's or
 * goodbye's; `cfbl`: a tip delivery's RFC 9477 CFBL-Feedback-ID.
 */
export type ShortTokenPurpose = 'bounce' | 'bounce-system' | 'cfbl';

export const shortTokenLifetimeDays: Record<ShortTokenPurpose, number> = {
  // Complaints come when a reader presses "spam", which may be months after the email arrived.
  bounce: 365,
  'bounce-system': 365,
  cfbl: 365,
};

const SHORT_SIG_BYTES = 12;

export function signShortToken(secret: string, purpose: ShortTokenPurpose, subject: string, now: Date): string {
  if (!/^[a-z0-9]{1,20}$/.test(subject)) throw new Error('a short token subject is 1-20 characters of a-z and 0-9');
  const expiresDay = Math.floor(now.getTime() / 86_400_000) + shortTokenLifetimeDays[purpose];
  const body = `${subject}-${expiresDay.toString(36)}`;
  return `${body}-${signature(secret, `${purpose}.${body}`).subarray(0, SHORT_SIG_BYTES).toString('hex')}`;
}

function verifyShort(secrets: readonly string[], token: unknown, purpose: ShortTokenPurpose, now: Date): TokenCheck {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  const m = /^([a-z0-9]{1,20})-([a-z0-9]{1,8})-([0-9a-f]{24})$/.exec(token.toLowerCase());
  if (!m) return { ok: false, reason: 'malformed' };
  const [, subject, expiry, sig] = m as unknown as [string, string, string, string];
  const given = Buffer.from(sig, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = signature(secret, `${purpose}.${subject}-${expiry}`).subarray(0, SHORT_SIG_BYTES);
    if (timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad-signature' };
  const expiresAt = new Date(parseInt(expiry, 36) * 86_400_000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject, expiresAt };
}
