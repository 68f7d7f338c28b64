// ../../work/wt/h-studio/src/web/unsubscribe-routes.ts
import { isSubscribed } from "../subscription/status.js";
import { unsubscribedPage, unsubscribePage } from "./pages.js";
import { field, sendPage } from "./http.js";
import { problemPage, signerFor, tokenOf } from "./signed-links.js";
function registerUnsubscribeRoutes(app, deps) {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);
  app.get("/unsubscribe", async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, "unsubscribe", now());
    if (!r.ok)
      return r.problem === "unknown-subscriber" ? sendPage(reply, 200, unsubscribedPage(ctx, false)) : problemPage(ctx, reply, r.problem);
    if (!isSubscribed(r.subscriber.status) && r.subscriber.status !== "pending") {
      return sendPage(reply, 200, unsubscribedPage(ctx, false));
    }
    return sendPage(reply, 200, unsubscribePage(ctx, token, sign("preferences", r.subscriber)));
  });
  app.post("/unsubscribe", async (request, reply) => {
    const r = await subscriptions.resolve(tokenOf(request), "unsubscribe", now());
    if (!r.ok && await deps.limited(request, reply)) return reply;
    const fromPage = field(request.body, "source") === "page";
    const done = (changed) => fromPage ? sendPage(reply, 200, unsubscribedPage(ctx, changed)) : reply.code(200).type("text/plain; charset=utf-8").send("Unsubscribed.\n");
    if (!r.ok) return r.problem === "unknown-subscriber" ? done(false) : problemPage(ctx, reply, r.problem);
    const result = await subscriptions.unsubscribe(r.subscriber, now(), { oneClick: !fromPage });
    deps.background("goodbye", result.send);
    const wasSubscribed = result.changed || r.subscriber.status === "unsubscribed";
    return done(wasSubscribed);
  });
}
export {
  registerUnsubscribeRoutes
};
//# sourceMappingURL=unsubscribe-routes.js.map
