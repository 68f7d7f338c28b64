// ../../work/wt/h-studio/src/bounces/classify.ts
import { classifyMailStatus, enhancedCodeIn, replyCodes } from "../mailer/smtp-status.js";
function bounceOf(codes, delayed = false) {
  const verdict = classifyMailStatus({ ...codes, stage: "recipient" });
  switch (verdict.party) {
    case "success":
      return { kind: "ignored", why: `not a bounce (status ${verdict.code})` };
    case "reader-permanent":
      return { kind: delayed ? "soft" : "hard" };
    case "reader-temporary":
      return { kind: "soft" };
    default: {
      const what = /^policy/.test(verdict.meaning) ? "a policy refusal about the sender" : verdict.party === "sender-temporary" ? "a delay on the sender's side" : "about the sender";
      return {
        kind: "ignored",
        why: `status ${verdict.code} is ${what} (${verdict.meaning}), not the reader's address`
      };
    }
  }
}
function classifyStatus(action, status, diagnostic) {
  const act = (action ?? "").toLowerCase();
  const enhanced = enhancedCodeIn(status);
  if (["delivered", "relayed", "expanded"].includes(act))
    return { kind: "ignored", why: `not a bounce (Action: ${act})` };
  if (!enhanced)
    return act === "failed" ? { kind: "soft" } : { kind: "ignored", why: `no status code (Action: ${act || "none"})` };
  const smtp = /^\s*smtp\s*;\s*(.*)$/is.exec(diagnostic ?? "")?.[1];
  const basic = /\.0\.0$/.test(enhanced) ? replyCodes(smtp).basic : void 0;
  return bounceOf({ enhanced, ...basic ? { basic } : {} }, act === "delayed");
}
function classifyFeedback(type) {
  const t = (type ?? "").trim().toLowerCase();
  if (t === "abuse" || t === "fraud") return { kind: "complaint" };
  return { kind: "ignored", why: `feedback type "${t || "none"}" is not a complaint` };
}
export {
  bounceOf,
  classifyFeedback,
  classifyStatus
};
//# sourceMappingURL=classify.js.map
