import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring, purpose-bound tokens for every link in an email: `payload.signature`, both
 * base64url, the payload `{p: purpose, s: subject, e: expiry (unix seconds)}`, signed with
 * HMAC-SHA256. A token for one purpose never works for another.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

export const tokenLifetimeDays: Record<TokenPurpose, number> = {
  confirm: 7,
  // Links in sent emails must keep working for as long as a reader may keep the email.
  unsubscribe: 365,
  preferences: 365,
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
 * Checks a token against the current key and, after a rotation, the previous one(s): every key
 * is compared (constant time each), so the answer's timing does not say which key matched.
 */
export function verifyToken(secrets: string | readonly string[], token: unknown, purpose: TokenPurpose, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > 1024) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [payload, sig] = parts as [string, string];
  const given = Buffer.from(sig, 'base64url');
  let matched = false;
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
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
  if (typeof body.s !== 'string' || typeof body.e !== 'number' || typeof body.p !== 'string') return { ok: false, reason: 'malformed' };
  if (body.p !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (body.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject: body.s, expiresAt: new Date(body.e * 1000) };
}
