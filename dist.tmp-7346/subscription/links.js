// ../../work/wt/h-studio/src/subscription/links.ts
import { feedbackUrl } from "./feedback.js";
import { signToken } from "./tokens.js";
function signedUrl(baseUrl, route, token) {
  return `${baseUrl}/${route}?token=${encodeURIComponent(token)}`;
}
function subscriberLinks(baseUrl, secret, subscriberId, now, slug) {
  return {
    ...listLinks(baseUrl, secret, subscriberId, now, slug),
    confirmUrl: signedUrl(baseUrl, "confirm", signToken(secret, "confirm", subscriberId, now))
  };
}
function listLinks(baseUrl, secret, subscriberId, now, slug) {
  const link = (purpose) => signedUrl(baseUrl, purpose, signToken(secret, purpose, subscriberId, now));
  return {
    unsubscribeUrl: link("unsubscribe"),
    preferencesUrl: link("preferences"),
    ...slug !== void 0 ? { feedbackUrl: feedbackUrl(baseUrl, secret, subscriberId, slug, now) } : {}
  };
}
export {
  listLinks,
  signedUrl,
  subscriberLinks
};
//# sourceMappingURL=links.js.map
