// ../../work/wt/h-studio/src/subscription/feedback.ts
import { signToken, verifyToken } from "./tokens.js";
var MAX_COMMENT_LENGTH = 500;
var isAnswer = (v) => v === "yes" || v === "no";
var subjectOf = (publicId, slug) => `${publicId}:${slug}`;
function feedbackToken(secret, publicId, slug, now) {
  return signToken(secret, "feedback", subjectOf(publicId, slug), now);
}
function feedbackUrl(baseUrl, secret, publicId, slug, now) {
  return `${baseUrl}/feedback?token=${encodeURIComponent(feedbackToken(secret, publicId, slug, now))}`;
}
function cleanComment(input) {
  if (typeof input !== "string") return null;
  const line = input.replace(/[\p{Cc}\u2028\u2029]/gu, " ").replace(/\s+/g, " ").trim();
  return line ? line.slice(0, MAX_COMMENT_LENGTH) : null;
}
function createFeedback(deps) {
  const { store } = deps;
  async function resolve(token, now) {
    const check = verifyToken(deps, token, "feedback", now);
    if (!check.ok) return { ok: false, problem: check.reason };
    const at = check.subject.lastIndexOf(":");
    if (at <= 0) return { ok: false, problem: "malformed" };
    const subscriber = await deps.subscribers.byPublicId(check.subject.slice(0, at));
    if (!subscriber) return { ok: false, problem: "unknown-subscriber" };
    return { ok: true, subscriber, slug: check.subject.slice(at + 1) };
  }
  return {
    resolve,
    /** What the GET page shows: the tip and the reader's current answer. Records nothing. */
    async current(token, now) {
      const r = await resolve(token, now);
      if (!r.ok) return r;
      const saved = await store.answerOf(r.subscriber.id, r.slug);
      return { ok: true, slug: r.slug, saved };
    },
    /** Records the reader's answer (and comment), replacing an earlier one for the same tip. */
    async answer(token, input, now) {
      const r = await resolve(token, now);
      if (!r.ok) return r;
      if (!isAnswer(input.answer)) return { ok: false, problem: "bad-answer" };
      const comment = input.comment === void 0 ? void 0 : cleanComment(input.comment);
      await store.answer(r.subscriber.id, r.slug, input.answer, comment, now.getTime());
      const saved = await store.answerOf(r.subscriber.id, r.slug);
      return { ok: true, slug: r.slug, answer: input.answer, comment: saved?.comment ?? null };
    },
    /**
     * An anonymous answer from the public tip page: no reader, no address, no cookie. Returns a
     * short-lived token that lets the same visitor add one comment to this one answer.
     */
    async anonymous(slug, answer, now) {
      if (!deps.isTip(slug)) return { ok: false, problem: "unknown-tip" };
      if (!isAnswer(answer)) return { ok: false, problem: "bad-answer" };
      const id = await store.anonymous(slug, answer, now.getTime());
      return { ok: true, commentToken: signToken(deps.secret, "feedback-web", `${id}:${slug}`, now) };
    },
    /** Whether a comment token is good for this tip (the thanks page shows only then). */
    isCommentToken(slug, token, now) {
      const check = verifyToken(deps, token, "feedback-web", now);
      return check.ok && check.subject.endsWith(`:${slug}`);
    },
    /** The one comment after an anonymous answer; false when the token is bad or a comment is already there. */
    async anonymousComment(slug, token, comment, now) {
      const check = verifyToken(deps, token, "feedback-web", now);
      if (!check.ok) return "invalid";
      const [id, forSlug] = check.subject.split(":");
      if (forSlug !== slug || !id || !/^\d+$/.test(id)) return "invalid";
      const text = cleanComment(comment);
      if (!text) return "empty";
      return await store.commentAnonymous(Number(id), text, now.getTime()) ? "saved" : "invalid";
    }
  };
}
export {
  MAX_COMMENT_LENGTH,
  cleanComment,
  createFeedback,
  feedbackToken,
  feedbackUrl,
  isAnswer
};
//# sourceMappingURL=feedback.js.map
