// ../../work/wt/h-studio/src/web/limits.ts
import { normalizeIP } from "@fastify/rate-limit";
import { normalizeAddress } from "../subscription/address.js";
import { field, sendPage, wantsJson } from "./http.js";
import { errorPage } from "./pages.js";
var defaultLimits = {
  subscribePerIp: { max: 10, windowMs: 6e4 },
  subscribePerAddress: { max: 5, windowMs: 60 * 6e4 },
  linksPerIp: { max: 60, windowMs: 6e4 },
  feedbackPerIp: { max: 20, windowMs: 60 * 6e4 },
  webhooksPerIp: { max: 600, windowMs: 6e4 },
  bodyBytes: 16 * 1024,
  mailBacklog: 100
};
function createLimiters(app, limits) {
  const perIp = (limit, name) => app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (req) => `${name}-ip:${normalizeIP(req.ip)}`
  });
  return {
    subscribePerIp: perIp(limits.subscribePerIp, "subscribe"),
    subscribePerAddress: app.createRateLimit({
      max: limits.subscribePerAddress.max,
      timeWindow: limits.subscribePerAddress.windowMs,
      keyGenerator: (req) => `subscribe-address:${normalizeIP(req.ip)}:${normalizeAddress(field(req.body, "email") ?? "").slice(0, 300)}`
    }),
    feedbackPerIp: perIp(limits.feedbackPerIp, "feedback"),
    webhooksPerIp: perIp(limits.webhooksPerIp, "webhooks"),
    linksPerIp: perIp(limits.linksPerIp, "links")
  };
}
function limitedBy(ctx, check) {
  return async (request, reply) => {
    const r = await check(request);
    if (r.isAllowed || !r.isExceeded) return false;
    const message = `Too many requests. Please wait ${r.ttlInSeconds} seconds and try again.`;
    reply.header("retry-after", String(r.ttlInSeconds));
    if (wantsJson(request))
      reply.code(429).send({ ok: false, error: "rate-limited", message, retryAfter: r.ttlInSeconds });
    else sendPage(reply, 429, errorPage(ctx, "Please slow down", message, false));
    return true;
  };
}
export {
  createLimiters,
  defaultLimits,
  limitedBy
};
//# sourceMappingURL=limits.js.map
