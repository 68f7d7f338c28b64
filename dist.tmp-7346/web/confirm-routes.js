// ../../work/wt/h-studio/src/web/confirm-routes.ts
import { isSubscribed } from "../subscription/status.js";
import { confirmedPage, confirmPage } from "./pages.js";
import { sendPage } from "./http.js";
import { problemPage, signerFor, tokenOf } from "./signed-links.js";
function registerConfirmRoutes(app, deps) {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);
  app.get("/confirm", async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, "confirm", now());
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    const s = r.subscriber;
    if (isSubscribed(s.status)) return sendPage(reply, 200, confirmedPage(ctx, s, sign("preferences", s), true));
    if (s.status !== "pending" && s.status !== "unsubscribed") return problemPage(ctx, reply, "not-mailable");
    return sendPage(reply, 200, confirmPage(ctx, token));
  });
  app.post("/confirm", async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const r = await subscriptions.confirm(tokenOf(request), now(), {
      ip: request.ip,
      userAgent: request.headers["user-agent"] ?? null,
      source: "web"
    });
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    deps.background("welcome", r.send);
    return sendPage(
      reply,
      200,
      confirmedPage(ctx, r.subscriber, sign("preferences", r.subscriber), r.alreadyConfirmed)
    );
  });
}
export {
  registerConfirmRoutes
};
//# sourceMappingURL=confirm-routes.js.map
