// ../../work/wt/h-studio/src/web/feedback-routes.ts
import { isAnswer } from "../subscription/feedback.js";
import { readerFeedbackPage } from "./feedback-pages.js";
import { field, query, sendPage, wantsJson } from "./http.js";
import { problemPage as linkProblemPage } from "./signed-links.js";
import { registerTipFeedbackRoutes } from "./tip-feedback-routes.js";
function registerFeedbackRoutes(app, deps) {
  const { ctx, feedback, now } = deps;
  const problemPage = (reply, problem) => linkProblemPage(ctx, reply, problem);
  app.get("/feedback", async (request, reply) => {
    const q = query(request);
    const r = await feedback.current(q.token, now());
    if (!r.ok) return problemPage(reply, r.problem === "unknown-tip" ? "malformed" : r.problem);
    return sendPage(
      reply,
      200,
      readerFeedbackPage(ctx, {
        token: q.token,
        title: deps.titleOf(r.slug),
        ...isAnswer(q.answer) ? { preset: q.answer } : {},
        ...r.saved ? { saved: r.saved } : {},
        justSaved: q.saved === "1"
      })
    );
  });
  app.post("/feedback", async (request, reply) => {
    if (await deps.linksLimited(request, reply)) return reply;
    const token = query(request).token;
    const body = request.body;
    const r = await feedback.answer(token, { answer: field(body, "answer"), comment: field(body, "comment") }, now());
    if (!r.ok) {
      if (r.problem === "bad-answer") {
        if (wantsJson(request))
          return reply.code(400).send({ ok: false, error: "bad-answer", message: "answer must be yes or no" });
        const current = await feedback.current(token, now());
        return sendPage(
          reply,
          400,
          readerFeedbackPage(ctx, {
            token,
            error: "Please choose Yes or Not really, then press the button.",
            ...current.ok && current.saved ? { saved: current.saved } : {}
          })
        );
      }
      return problemPage(reply, r.problem === "unknown-tip" ? "malformed" : r.problem);
    }
    if (wantsJson(request)) return reply.send({ ok: true, tip: r.slug, answer: r.answer, comment: r.comment });
    return reply.redirect(`/feedback?token=${encodeURIComponent(token)}&saved=1`, 303);
  });
  registerTipFeedbackRoutes(app, { ctx, feedback, now, titleOf: deps.titleOf, limited: deps.anonymousLimited });
}
export {
  registerFeedbackRoutes
};
//# sourceMappingURL=feedback-routes.js.map
