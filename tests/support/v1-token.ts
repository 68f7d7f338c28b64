import { createHmac } from 'node:crypto';
import { tokenLifetimeDays, type TokenPurpose } from '../../src/subscription/tokens.ts';

/**
 * A v1 link token, exactly as the newsletter signed links before v2 (the code as it was):
 * `base64url(JSON {p, s, e}).base64url(HMAC-SHA256 over "ncw-token-v1." + payload)`. Links in
 * emails sent then carry it for a year, so it must keep verifying.
 */
export function signV1Token(secret: string, purpose: TokenPurpose, subject: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + tokenLifetimeDays[purpose] * 86_400;
  const payload = Buffer.from(JSON.stringify({ p: purpose, s: subject, e: expires })).toString('base64url');
  const sig = createHmac('sha256', secret).update(`ncw-token-v1.${payload}`).digest().toString('base64url');
  return `${payload}.${sig}`;
}
