// ../../work/wt/h-studio/src/web/tip-feedback-routes.ts
import { webFeedbackThanksPage } from "./feedback-pages.js";
import { field, query, sendPage, wantsJson } from "./http.js";
import { errorPage } from "./pages.js";
function registerTipFeedbackRoutes(app, deps) {
  const { ctx, feedback, now } = deps;
  app.post("/tips/:slug/feedback", async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const { slug } = request.params;
    const body = request.body;
    const token = field(body, "token");
    const back = (t, commented) => reply.redirect(
      `/tips/${encodeURIComponent(slug)}/feedback?token=${encodeURIComponent(t)}${commented ? "&commented=1" : ""}`,
      303
    );
    if (token !== void 0) {
      const outcome = await feedback.anonymousComment(slug, token, field(body, "comment"), now());
      if (wantsJson(request))
        return reply.code(outcome === "saved" ? 200 : 400).send({ ok: outcome === "saved", outcome });
      if (outcome === "saved") return back(token, true);
      const error = outcome === "empty" ? "The comment was empty, so nothing was saved." : "This comment form has expired or was used already. Your answer is still counted.";
      return sendPage(
        reply,
        400,
        webFeedbackThanksPage(ctx, { slug, title: deps.titleOf(slug), token, error, commented: outcome !== "empty" })
      );
    }
    const r = await feedback.anonymous(slug, field(body, "answer"), now());
    if (!r.ok) {
      const [status, message] = r.problem === "unknown-tip" ? [404, "There is no published tip at this address."] : [400, "Please press Yes or Not really."];
      if (wantsJson(request)) return reply.code(status).send({ ok: false, error: r.problem, message });
      return sendPage(
        reply,
        status,
        errorPage(ctx, r.problem === "unknown-tip" ? "Tip not found" : "That did not work", message, false)
      );
    }
    if (wantsJson(request)) return reply.send({ ok: true, commentToken: r.commentToken });
    return back(r.commentToken, false);
  });
  app.get("/tips/:slug/feedback", async (request, reply) => {
    const { slug } = request.params;
    const q = query(request);
    if (typeof q.token !== "string" || !feedback.isCommentToken(slug, q.token, now())) {
      return sendPage(
        reply,
        404,
        errorPage(
          ctx,
          "Nothing to show",
          "This page follows an answer on a tip page. Open the tip and answer there.",
          false
        )
      );
    }
    return sendPage(
      reply,
      200,
      webFeedbackThanksPage(ctx, { slug, title: deps.titleOf(slug), token: q.token, commented: q.commented === "1" })
    );
  });
}
export {
  registerTipFeedbackRoutes
};
//# sourceMappingURL=tip-feedback-routes.js.map
