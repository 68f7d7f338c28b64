import { signShortToken, verifyToken, type VerifyingKeys } from '../subscription/tokens.ts';

/**
 * RFC 9477's `CFBL-Feedback-ID` for one tip delivery: the delivery's id, signed (purpose `cfbl`,
 * a year's life, as a return path's). A mailbox provider that sends a complaint to
 * NEWSLETTER_CFBL_ADDRESS keeps this field in the copy of the original it attaches (the RFC says
 * it must, even where it redacts the recipient), so the complaint names the delivery, and so the
 * reader and the tip, without trusting anything else in the report; the signature means nobody
 * can complain in a reader's name without having had their email.
 */
export function cfblFeedbackIdFor(secret: string, deliveryId: number, now: Date): string {
  return signShortToken(secret, 'cfbl', deliveryId.toString(36), now);
}

export type FeedbackIdCheck = { ok: true; deliveryId: number } | { ok: false; problem: string };

/** The delivery a CFBL-Feedback-ID names, or why it names none (damaged, forged, expired). */
export function deliveryOfFeedbackId(value: string, keys: VerifyingKeys, now: Date): FeedbackIdCheck {
  const check = verifyToken(keys, value.trim(), 'cfbl', now);
  if (!check.ok)
    return {
      ok: false,
      problem: `CFBL-Feedback-ID ${check.reason === 'expired' ? 'expired' : 'not signed by this newsletter'} (${check.reason})`,
    };
  const id = parseInt(check.subject, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, problem: 'CFBL-Feedback-ID names no delivery' };
  return { ok: true, deliveryId: id };
}
