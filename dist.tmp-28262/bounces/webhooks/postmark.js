// ../../work/wt/h-studio/src/bounces/webhooks/postmark.ts
import { createHash, timingSafeEqual } from "node:crypto";
import { replyCodes } from "../../mailer/smtp-status.js";
import { bounceOf } from "../classify.js";
import { normalizeMessageId } from "../report.js";
function sameSecret(given, expected) {
  const digest = (s) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
function postmarkAuthorized(authorization, expected) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  const given = m ? Buffer.from(m[1], "base64").toString("utf8") : "";
  return sameSecret(given, expected) && m !== null;
}
var HARD = /* @__PURE__ */ new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);
var SOFT = /* @__PURE__ */ new Set(["SoftBounce", "Transient", "DnsError"]);
function kindOfRecord(record, type) {
  if (record === "SpamComplaint" || type === "SpamComplaint") return "complaint";
  if (record !== "Bounce") return void 0;
  return HARD.has(type) ? "hard" : SOFT.has(type) ? "soft" : void 0;
}
function judgedByReply(kind, type, details) {
  const reply = replyCodes((details ?? "").replace(/^\s*smtp\s*;\s*/i, ""));
  if (kind === "complaint" || reply.basic === void 0 && reply.enhanced === void 0) return kind;
  const verdict = bounceOf(reply);
  return verdict.kind === "ignored" ? { why: `Postmark ${type}: ${verdict.why}` } : verdict.kind;
}
function quotedMessageIds(content) {
  const messageId = normalizeMessageId(/^Message-ID:\s*(\S+)/im.exec(content ?? "")?.[1]);
  return messageId ? [messageId] : [];
}
function postmarkNotice(payload) {
  const p = payload ?? {};
  const str = (k) => typeof p[k] === "string" ? p[k] : void 0;
  const record = str("RecordType");
  const type = str("Type") ?? "";
  const email = str("Email");
  const id = p["ID"];
  if (!record || !email || typeof id !== "number" && typeof id !== "string")
    return {
      ok: false,
      ignored: false,
      why: "not a Postmark bounce or spam complaint (RecordType, ID and Email are required)"
    };
  const recordKind = kindOfRecord(record, type);
  if (!recordKind)
    return { ok: false, ignored: true, why: `Postmark ${record} of type "${type}" is not about the reader's address` };
  const kind = judgedByReply(recordKind, type, str("Details"));
  if (typeof kind === "object") return { ok: false, ignored: true, why: kind.why };
  return {
    ok: true,
    notice: {
      kind,
      source: "postmark",
      returnPaths: [],
      messageIds: quotedMessageIds(str("Content")),
      email,
      status: type,
      detail: str("Details") ?? str("Description") ?? "",
      key: `postmark:${record}:${String(id)}`
    }
  };
}
export {
  postmarkAuthorized,
  postmarkNotice,
  sameSecret
};
//# sourceMappingURL=postmark.js.map
