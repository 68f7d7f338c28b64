// ../../work/wt/h-studio/src/web/site.ts
import Fastify from "fastify";
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import { securityHeaders } from "./security.js";
import { registerLinkRoutes } from "./link-routes.js";
import { registerFeedbackRoutes } from "./feedback-routes.js";
import { feedbackBlock } from "./feedback-pages.js";
import { registerMetricsRoute } from "./metrics-route.js";
import { sharedLimitStore } from "./shared-limits.js";
import { registerWebhookRoutes } from "./webhooks/routes.js";
import { describedReaderData } from "../store/reader-data.js";
import { fixedContent } from "./public/content.js";
import { registerPublicRoutes } from "./public/routes.js";
import { createLimiters, defaultLimits, limitedBy } from "./limits.js";
import { backgroundMail } from "./background-mail.js";
import { registerErrorHandlers } from "./error-handlers.js";
import { registerAssetRoutes } from "./asset-routes.js";
import { registerHealthRoute } from "./availability.js";
import { registerSubscribeRoute } from "./subscribe-route.js";
import { defaultLimits as defaultLimits2 } from "./limits.js";
async function buildSite(config, deps) {
  const limits = { ...defaultLimits, ...deps.limits };
  const now = deps.now ?? (() => /* @__PURE__ */ new Date());
  const log = deps.log ?? (() => {
  });
  const { series, subscriptions } = deps;
  const ctx = { series, defaultTimezone: config.timezone };
  const mail = backgroundMail(limits.mailBacklog, log);
  const app = await createServer(limits, deps);
  const limiters = createLimiters(app, limits);
  const linksLimited = limitedBy(ctx, limiters.linksPerIp);
  registerErrorHandlers(app, ctx, limits.bodyBytes, log);
  registerAssetRoutes(app, series.brandColor);
  const content = deps.content ?? await fixedContent({ series, tips: [], pages: [] });
  const afterTip = deps.afterTip ?? (deps.feedback ? (tip) => feedbackBlock(tip.slug) : void 0);
  const publicPages = registerPublicRoutes(app, {
    baseUrl: config.baseUrl,
    content,
    readerData: deps.readerData ?? (async () => describedReaderData()),
    ...afterTip ? { afterTip } : {}
  });
  registerHealthRoute(app, deps.store);
  registerSubscribeRoute(app, {
    ctx,
    subscriptions,
    store: deps.store,
    now,
    home: publicPages.home,
    background: mail.background,
    limitedPerIp: limitedBy(ctx, limiters.subscribePerIp),
    limitedPerAddress: limitedBy(ctx, limiters.subscribePerAddress)
  });
  if (deps.metrics) registerMetricsRoute(app, deps.metrics.metrics, deps.metrics.token);
  if (deps.webhooks)
    registerWebhookRoutes(app, { ...deps.webhooks, now, log, limited: limitedBy(ctx, limiters.webhooksPerIp) });
  if (deps.feedback) {
    registerFeedbackRoutes(app, {
      ctx,
      feedback: deps.feedback,
      now,
      // The live content: a tip's title follows its file like its page does.
      titleOf: (slug) => content.current().tips.find((t) => t.slug === slug)?.title,
      linksLimited,
      anonymousLimited: limitedBy(ctx, limiters.feedbackPerIp)
    });
  }
  registerLinkRoutes(app, {
    ctx,
    subscriptions,
    secret: deps.secret,
    now,
    background: mail.background,
    limited: linksLimited
  });
  return { app, idle: mail.idle };
}
async function createServer(limits, deps) {
  const app = Fastify({
    bodyLimit: limits.bodyBytes,
    // Request logs would carry the signed tokens in URLs: failures are reported through `log` only.
    logger: false,
    // One hop: the address the proxy itself saw. Trusting the whole X-Forwarded-For chain would
    // let a client name a new address per request and walk around the per-IP limits.
    trustProxy: deps.trustProxy ? (_address, hop) => hop < 1 : false,
    requestTimeout: 15e3,
    return503OnClosing: true
  });
  await app.register(formbody, { bodyLimit: limits.bodyBytes });
  app.addContentTypeParser(
    ["multipart/form-data", "text/plain"],
    { parseAs: "string", bodyLimit: limits.bodyBytes },
    (_req, body, done) => done(null, body)
  );
  await app.register(rateLimit, {
    global: false,
    ...deps.limitCounter ? { store: sharedLimitStore(deps.limitCounter) } : {}
  });
  securityHeaders(app);
  return app;
}
async function startSite(config, deps) {
  const site = await buildSite(config, deps);
  await site.app.listen({ host: config.host, port: config.port });
  const info = site.app.server.address();
  const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
  return {
    address: `http://${host}:${info.port}`,
    port: info.port,
    idle: site.idle,
    async close() {
      await site.app.close();
      await site.idle();
    }
  };
}
export {
  buildSite,
  defaultLimits2 as defaultLimits,
  startSite
};
//# sourceMappingURL=site.js.map
