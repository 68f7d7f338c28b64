import { signToken, type TokenPurpose } from './tokens.ts';

/** The signed links one subscriber's emails carry. */
export interface SubscriberLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  confirmUrl: string;
}

export function signedUrl(baseUrl: string, route: TokenPurpose, token: string): string {
  return `${baseUrl}/${route}?token=${encodeURIComponent(token)}`;
}

export function subscriberLinks(baseUrl: string, secret: string, subscriberId: string, now: Date): SubscriberLinks {
  return { ...listLinks(baseUrl, secret, subscriberId, now), confirmUrl: signedUrl(baseUrl, 'confirm', signToken(secret, 'confirm', subscriberId, now)) };
}

/** The two links every list email carries (tips need no confirm link: one HMAC less per send). */
export function listLinks(baseUrl: string, secret: string, subscriberId: string, now: Date): Omit<SubscriberLinks, 'confirmUrl'> {
  const link = (purpose: TokenPurpose) => signedUrl(baseUrl, purpose, signToken(secret, purpose, subscriberId, now));
  return { unsubscribeUrl: link('unsubscribe'), preferencesUrl: link('preferences') };
}
