// ../../work/wt/h-studio/src/web/availability.ts
import { performance } from "node:perf_hooks";
import { sendPage, wantsJson } from "./http.js";
import { errorPage } from "./pages.js";
var RETRY_AFTER_S = 120;
function registerHealthRoute(app, store) {
  app.get("/healthz", async (_req, reply) => {
    try {
      await store.ping();
      return reply.send({ ok: true });
    } catch {
      return reply.code(503).header("retry-after", String(RETRY_AFTER_S)).send({ ok: false });
    }
  });
}
function writableProbe(store) {
  let writableUntil = 0;
  return async () => {
    const t = performance.now();
    if (t < writableUntil) return true;
    try {
      await store.ping();
      writableUntil = t + 1e3;
      return true;
    } catch {
      return false;
    }
  };
}
var cannotWrite = {
  error: "unavailable",
  message: `We cannot take sign-ups for a moment. Please try again in ${RETRY_AFTER_S / 60} minutes.`,
  retryAfter: RETRY_AFTER_S
};
function answerUnavailable(ctx, request, reply, why = cannotWrite) {
  reply.header("retry-after", String(why.retryAfter));
  if (wantsJson(request))
    return reply.code(503).send({ ok: false, error: why.error, message: why.message, retryAfter: why.retryAfter });
  return sendPage(reply, 503, errorPage(ctx, "Please try again soon", why.message, false));
}
export {
  RETRY_AFTER_S,
  answerUnavailable,
  registerHealthRoute,
  writableProbe
};
//# sourceMappingURL=availability.js.map
