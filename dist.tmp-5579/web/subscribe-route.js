// ../../work/wt/h-studio/src/web/subscribe-route.ts
import { isUnwritable } from "../store/write-probe.js";
import { checkAddress } from "../subscription/address.js";
import { answerUnavailable, writableProbe } from "./availability.js";
import { field, sendPage, wantsJson } from "./http.js";
import { checkInboxPage, SUBSCRIBE_ANSWER } from "./pages.js";
function registerSubscribeRoute(app, deps) {
  const { ctx, subscriptions, now } = deps;
  const writable = writableProbe(deps.store);
  const accepted = (request, reply) => wantsJson(request) ? reply.send({ ok: true, message: SUBSCRIBE_ANSWER }) : sendPage(reply, 200, checkInboxPage(ctx));
  app.post("/subscribe", async (request, reply) => {
    if (await deps.limitedPerIp(request, reply)) return reply;
    const body = request.body;
    if (field(body, "website")) return accepted(request, reply);
    const address = checkAddress(field(body, "email"));
    if (!address.ok) {
      if (wantsJson(request))
        return reply.code(400).send({ ok: false, error: "invalid-email", message: address.reason });
      return sendPage(
        reply,
        400,
        deps.home({ email: field(body, "email") ?? "", name: field(body, "name") ?? "", error: address.reason })
      );
    }
    if (await deps.limitedPerAddress(request, reply)) return reply;
    if (!await writable()) return answerUnavailable(ctx, request, reply);
    let result;
    try {
      result = await subscriptions.subscribe(
        {
          email: field(body, "email"),
          name: field(body, "name"),
          timezone: field(body, "timezone"),
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          source: "web"
        },
        now()
      );
    } catch (e) {
      if (isUnwritable(e)) return answerUnavailable(ctx, request, reply);
      throw e;
    }
    if (!result.ok) return answerRefused(deps, request, reply, result);
    deps.background("confirmation", result.send);
    return accepted(request, reply);
  });
}
function answerRefused(deps, request, reply, r) {
  if (r.problem === "busy")
    return answerUnavailable(deps.ctx, request, reply, {
      error: "busy",
      message: r.reason,
      retryAfter: r.retryAfterSeconds
    });
  if (wantsJson(request))
    return reply.code(400).send({
      ok: false,
      error: r.problem === "name" ? "invalid-name" : "invalid-email",
      message: r.reason
    });
  const body = request.body;
  return sendPage(
    reply,
    400,
    deps.home({
      email: field(body, "email") ?? "",
      name: field(body, "name") ?? "",
      error: r.reason,
      errorField: r.problem
    })
  );
}
export {
  registerSubscribeRoute
};
//# sourceMappingURL=subscribe-route.js.map
