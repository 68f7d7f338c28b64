import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring, purpose-bound tokens for every link in an email. An email carries about nine
 * of them (unsubscribe, preferences, feedback, List-Unsubscribe; in both parts), so they are short.
 *
 * v2 (signed today): `<purpose code><expiry>.<subject>.<signature>`, e.g.
 * `uu7zlc0.sample-reader.kN664JD_Raw4zqCa_RYYTw` (44 characters; 53 for a 22-character public id):
 * - the purpose as one letter (`purposeCodes`), the expiry in unix seconds, base 36;
 * - the subject as it is when it is only `A-Z a-z 0-9 _ -`; any other character (the `:` of
 *   `publicId:slug`, a `.`, a `~`, anything not ASCII) as `~` and its UTF-8 bytes in two upper-case
 *   hex digits each (`~3A`), so a subject never holds a `.` and the three parts split one way only;
 * - the first 128 bits of HMAC-SHA256 over `ncw-token-v2.<purpose>.<subject as in the token>.<expiry as in the token>`,
 *   base64url (22 characters).
 * Every character is URL-unreserved, so `encodeURIComponent` leaves a token as it is. The purpose is
 * spelled out in the signed string: a token re-lettered for another purpose fails its signature.
 *
 * v1 (signed until v2; links in sent emails live a year, so it still verifies until the last one
 * expires): `base64url(JSON {p: purpose, s: subject, e: expiry}).base64url(HMAC-SHA256 over
 * "ncw-token-v1." + that payload, 32 bytes)`. Two parts where v2 has three.
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

/** A v2 token's first letter: which purpose it was signed for (the signature covers the purpose's full name). */
const purposeCodes: Record<TokenPurpose, string> = {
  confirm: 'c',
  unsubscribe: 'u',
  preferences: 'p',
  feedback: 'f',
  'feedback-web': 'w',
  // `newsletter doctor`'s probe.
  probe: 'd',
};
const purposeOfCode = new Map(Object.entries(purposeCodes).map(([p, c]) => [c, p as TokenPurpose]));

export type TokenCheck =
  | { ok: true; subject: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

/** The longest token looked at: anything longer is refused before any work. */
const MAX_TOKEN_LENGTH = 1024;
/** v2 signatures: the first 128 bits of the HMAC. */
const V2_SIG_BYTES = 16;

/** The HMAC of v1 link tokens and of the short tokens (their strings start `ncw-token-v1.`). */
function signature(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`ncw-token-v1.${payload}`).digest();
}

function signatureV2(secret: string, purpose: TokenPurpose, subject: string, expiry: string): Buffer {
  return createHmac('sha256', secret)
    .update(`ncw-token-v2.${purpose}.${subject}.${expiry}`)
    .digest()
    .subarray(0, V2_SIG_BYTES);
}

const PLAIN = /^[A-Za-z0-9_-]$/;
const ALL_PLAIN = /^[A-Za-z0-9_-]*$/;

/** The subject as a token carries it: `A-Z a-z 0-9 _ -` as they are, every other UTF-8 byte as `~XX`. */
function encodeSubject(subject: string): string {
  if (ALL_PLAIN.test(subject)) return subject;
  let out = '';
  for (const ch of subject) {
    if (PLAIN.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The subject a token's (already well-formed) subject part names, or undefined if it is not exactly what `encodeSubject` writes. */
function decodeSubject(encoded: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length;) {
    if (encoded[i] === '~') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 3;
    } else bytes.push(encoded.charCodeAt(i++));
  }
  let subject: string;
  try {
    subject = utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeSubject(subject) === encoded ? subject : undefined;
}

export function signToken(secret: string, purpose: TokenPurpose, subject: string, now: Date): string {
  if (subject === '') throw new Error('a token names something: its subject is not empty');
  // A lone surrogate has no UTF-8: it would verify as U+FFFD, another subject than the one signed.
  if (/\p{Cs}/u.test(subject)) throw new Error('a token subject is well-formed Unicode');
  const expiry = (Math.floor(now.getTime() / 1000) + tokenLifetimeDays[purpose] * 86_400).toString(36);
  const encoded = encodeSubject(subject);
  const sig = signatureV2(secret, purpose, encoded, expiry).toString('base64url');
  return `${purposeCodes[purpose]}${expiry}.${encoded}.${sig}`;
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

/** A link token of either format: v2 (three parts) or v1 (two). */
function verifyLink(secrets: readonly string[], token: unknown, purpose: TokenPurpose, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length === 3) return verifyLinkV2(secrets, parts as [string, string, string], purpose, now);
  if (parts.length === 2) return verifyLinkV1(secrets, parts as [string, string], purpose, now);
  return { ok: false, reason: 'malformed' };
}

const V2_HEAD = /^([a-z])([1-9a-z][0-9a-z]{0,9})$/;
const V2_SUBJECT = /^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/;
// 22 base64url characters carry 132 bits: the last one's low 4 bits are zero in the one spelling of 128.
const V2_SIG = /^[A-Za-z0-9_-]{21}[AQgw]$/;

function verifyLinkV2(
  secrets: readonly string[],
  [head, subjectPart, sig]: [string, string, string],
  purpose: TokenPurpose,
  now: Date,
): TokenCheck {
  const m = V2_HEAD.exec(head);
  const signedFor = m ? purposeOfCode.get(m[1]!) : undefined;
  if (!m || !signedFor || !V2_SUBJECT.test(subjectPart) || !V2_SIG.test(sig)) return { ok: false, reason: 'malformed' };
  const expiry = m[2]!;
  const given = Buffer.from(sig, 'base64url');
  let matched = false;
  for (const secret of secrets) {
    const expected = signatureV2(secret, signedFor, subjectPart, expiry);
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad-signature' };
  if (signedFor !== purpose) return { ok: false, reason: 'wrong-purpose' };
  const subject = decodeSubject(subjectPart);
  if (subject === undefined) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject, expiresAt };
}

/** The tokens signed before v2 (see the top of this file), exactly as they were checked then. */
function verifyLinkV1(
  secrets: readonly string[],
  [payload, sig]: [string, string],
  purpose: TokenPurpose,
  now: Date,
): TokenCheck {
  if (!payload || !sig) return { ok: false, reason: 'malformed' };
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
