// ../../work/wt/h-studio/src/web/security.ts
import { TIMEZONE_SCRIPT_HASH } from "./assets.js";
var CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  `script-src '${TIMEZONE_SCRIPT_HASH}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'"
].join("; ");
function securityHeaders(app) {
  app.addHook("onSend", async (_request, reply) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    reply.header("cross-origin-opener-policy", "same-origin");
    reply.header("cross-origin-resource-policy", "same-origin");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });
}
export {
  CONTENT_SECURITY_POLICY,
  securityHeaders
};
//# sourceMappingURL=security.js.map
