import { signShortToken, verifyShortToken } from '../subscription/tokens.ts';

/**
 * VERP: each tip's envelope sender is `bounces+<signed delivery id>@domain`, built from
 * NEWSLETTER_BOUNCE_ADDRESS. A bounce comes back to that address, so it names the delivery (and
 * so the reader and the tip) without trusting anything in the bounce's text; the signature means
 * nobody can forge a bounce for a reader they do not know the token of.
 */
export function returnPathFor(bounceAddress: string, secret: string, deliveryId: number, now: Date): string {
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${signShortToken(secret, 'bounce', deliveryId.toString(36), now)}${bounceAddress.slice(at)}`;
}

export type ReturnPathCheck = { ok: true; deliveryId: number } | { ok: false; problem: string };

/**
 * The delivery a return path names: undefined when the address carries no token at all (not a
 * VERP address), a problem when it carries one that is damaged, forged or expired.
 */
export function deliveryOfReturnPath(address: string, secret: string, now: Date): ReturnPathCheck | undefined {
  const m = /^[^@\s+<>]+\+([^@\s<>]+)@[^@\s<>]+$/i.exec(address.trim().replace(/^<|>$/g, ''));
  if (!m) return undefined;
  const check = verifyShortToken(secret, m[1], 'bounce', now);
  if (!check.ok) return { ok: false, problem: `return path token ${check.reason === 'expired' ? 'expired' : 'not signed by this newsletter'} (${check.reason})` };
  const id = parseInt(check.subject, 36);
  return Number.isSafeInteger(id) && id > 0 ? { ok: true, deliveryId: id } : { ok: false, problem: 'return path token names no delivery' };
}
