import { feedbackUrl } from './feedback.ts';
import { signToken, type TokenPurpose } from './tokens.ts';

/** The signed links one subscriber's emails carry. */
export interface SubscriberLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  confirmUrl: string;
  /** "Did this help?" for one tip: present when the links are made for a tip (`slug`). */
  feedbackUrl?: string;
}

export function signedUrl(baseUrl: string, route: TokenPurpose, token: string): string {
  return `${baseUrl}/${route}?token=${encodeURIComponent(token)}`;
}

/** Every link of one subscriber; with `slug`, the feedback link for that tip too. */
export function subscriberLinks(
  baseUrl: string,
  secret: string,
  subscriberId: string,
  now: Date,
  slug?: string,
): SubscriberLinks {
  return {
    ...listLinks(baseUrl, secret, subscriberId, now, slug),
    confirmUrl: signedUrl(baseUrl, 'confirm', signToken(secret, 'confirm', subscriberId, now)),
  };
}

/** The links every list email carries (tips need no confirm link: one HMAC less per send); a tip's (`slug`) also its feedback link. */
export function listLinks(
  baseUrl: string,
  secret: string,
  subscriberId: string,
  now: Date,
  slug?: string,
): Omit<SubscriberLinks, 'confirmUrl'> {
  const link = (purpose: TokenPurpose) => signedUrl(baseUrl, purpose, signToken(secret, purpose, subscriberId, now));
  return {
    unsubscribeUrl: link('unsubscribe'),
    preferencesUrl: link('preferences'),
    ...(slug !== undefined ? { feedbackUrl: feedbackUrl(baseUrl, secret, subscriberId, slug, now) } : {}),
  };
}

/**
 * The one-click unsubscribe URL with a probe token (subject `doctor`): the site answers its POST
 * with 200 and changes nothing, so `newsletter doctor` can prove the route works end to end.
 */
export function probeUnsubscribeUrl(baseUrl: string, secret: string, now: Date): string {
  return signedUrl(baseUrl, 'unsubscribe', signToken(secret, 'probe', 'doctor', now));
}
