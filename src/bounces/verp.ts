import { signShortToken, verifyToken, type VerifyingKeys } from '../subscription/tokens.ts';

/**
 * VERP: each tip's envelope sender is `bounces+<signed delivery id>@domain`, built from
 * NEWSLETTER_BOUNCE_ADDRESS. A bounce comes back to that address, so it names the delivery (and
 * so the reader and the tip) without trusting anything in the bounce's text; the signature means
 * nobody can forge a bounce for a reader they do not know the token of.
 */
export function returnPathFor(bounceAddress: string, secret: string, deliveryId: number, now: Date): string {
  return signedReturnPath(bounceAddress, secret, 'bounce', deliveryId, now);
}

/**
 * The same for a confirmation, welcome or goodbye: its row in `system_emails`, signed for another
 * purpose so the two kinds of id can never be taken for each other.
 */
export function systemReturnPathFor(bounceAddress: string, secret: string, systemEmailId: number, now: Date): string {
  return signedReturnPath(bounceAddress, secret, 'bounce-system', systemEmailId, now);
}

function signedReturnPath(
  bounceAddress: string,
  secret: string,
  purpose: 'bounce' | 'bounce-system',
  id: number,
  now: Date,
): string {
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${signShortToken(secret, purpose, id.toString(36), now)}${bounceAddress.slice(at)}`;
}

export type ReturnPathCheck =
  { ok: true; deliveryId: number } | { ok: true; systemEmailId: number } | { ok: false; problem: string };

/**
 * What a return path names, a tip delivery or a system email: undefined when the address carries
 * no token at all (not a VERP address), a problem when it carries one that is damaged, forged or
 * expired. `keys`: the current key and, after a rotation, the previous one (a bounce or complaint
 * may come months after the email went).
 */
export function deliveryOfReturnPath(address: string, keys: VerifyingKeys, now: Date): ReturnPathCheck | undefined {
  const m = /^[^@\s+<>]+\+([^@\s<>]+)@[^@\s<>]+$/i.exec(address.trim().replace(/^<|>$/g, ''));
  if (!m) return undefined;
  let check = verifyToken(keys, m[1], 'bounce', now);
  const system = !check.ok && check.reason === 'bad-signature' && verifyToken(keys, m[1], 'bounce-system', now);
  if (system && (system.ok || system.reason !== 'bad-signature')) check = system;
  if (!check.ok)
    return {
      ok: false,
      problem: `return path token ${check.reason === 'expired' ? 'expired' : 'not signed by this newsletter'} (${check.reason})`,
    };
  const id = parseInt(check.subject, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, problem: 'return path token names no delivery' };
  return system === check ? { ok: true, systemEmailId: id } : { ok: true, deliveryId: id };
}
