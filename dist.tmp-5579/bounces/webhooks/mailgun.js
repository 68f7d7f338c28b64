// ../../work/wt/h-studio/src/bounces/webhooks/mailgun.ts
import { createHmac, timingSafeEqual } from "node:crypto";
import { bounceOf } from "../classify.js";
import { normalizeMessageId } from "../report.js";
var MAILGUN_WINDOW_MS = 5 * 6e4;
function checkMailgunSignature(body, key, now) {
  const s = (body ?? {}).signature ?? {};
  const timestamp = typeof s["timestamp"] === "number" ? String(s["timestamp"]) : s["timestamp"];
  const { token, signature } = s;
  if (typeof timestamp !== "string" || typeof token !== "string" || typeof signature !== "string" || !/^\d{1,12}$/.test(timestamp) || token.length > 200) {
    return { ok: false, why: "no Mailgun signature" };
  }
  const expected = createHmac("sha256", key).update(timestamp + token).digest();
  const wellFormed = /^[0-9a-f]{64}$/i.test(signature);
  const given = wellFormed ? Buffer.from(signature, "hex") : Buffer.alloc(expected.length);
  if (!timingSafeEqual(given, expected) || !wellFormed) return { ok: false, why: "bad Mailgun signature" };
  if (Math.abs(now.getTime() - Number(timestamp) * 1e3) > MAILGUN_WINDOW_MS)
    return { ok: false, why: "Mailgun signature outside the 5-minute window" };
  return { ok: true, token };
}
var stringIn = (e, key) => typeof e[key] === "string" ? e[key] : void 0;
function kindOfEvent(event, severity) {
  if (event === "complained") return "complaint";
  if (event !== "failed") return void 0;
  return severity === "permanent" ? "hard" : severity === "temporary" ? "soft" : void 0;
}
function smtpCodes(status) {
  const enhanced = typeof status["enhanced-code"] === "string" && status["enhanced-code"] ? status["enhanced-code"] : void 0;
  const basic = typeof status["code"] === "number" && status["code"] >= 200 && status["code"] < 600 ? status["code"] : void 0;
  return { basic, enhanced };
}
function judgedFailure(kind, severity, codes) {
  if (kind === "complaint" || !(codes.enhanced || codes.basic)) return kind;
  const verdict = bounceOf(codes);
  if (verdict.kind === "ignored") return { why: `Mailgun ${String(severity)} failure: ${verdict.why}` };
  return verdict.kind === "hard" && severity === "temporary" ? "soft" : verdict.kind;
}
function sentMessageIds(e) {
  const headers = (e["message"] ?? {}).headers ?? {};
  const messageId = normalizeMessageId(typeof headers["message-id"] === "string" ? headers["message-id"] : void 0);
  return messageId ? [messageId] : [];
}
function statusOf(kind, codes, status) {
  const code = codes.enhanced ?? (typeof status["code"] === "number" ? String(status["code"]) : void 0);
  return code ? { status: code } : kind === "complaint" ? { status: "complained" } : {};
}
function mailgunNotice(body) {
  const e = (body ?? {})["event-data"];
  if (!e || typeof e !== "object") return { ok: false, ignored: false, why: "no Mailgun event-data" };
  const event = stringIn(e, "event") ?? "";
  const id = stringIn(e, "id");
  const recipient = stringIn(e, "recipient");
  if (!id || !recipient) return { ok: false, ignored: false, why: "a Mailgun event needs an id and a recipient" };
  const severity = e["severity"];
  const status = e["delivery-status"] ?? {};
  const codes = smtpCodes(status);
  const eventKind = kindOfEvent(event, severity);
  if (!eventKind) return { ok: false, ignored: true, why: `Mailgun event "${event}" is not a bounce or complaint` };
  const kind = judgedFailure(eventKind, severity, codes);
  if (typeof kind === "object") return { ok: false, ignored: true, why: kind.why };
  return {
    ok: true,
    notice: {
      kind,
      source: "mailgun",
      returnPaths: [],
      messageIds: sentMessageIds(e),
      email: recipient,
      ...statusOf(kind, codes, status),
      detail: [status["message"], status["description"], e["reason"]].filter((v) => typeof v === "string" && v).join("; "),
      key: `mailgun:${id}`
    }
  };
}
export {
  MAILGUN_WINDOW_MS,
  checkMailgunSignature,
  mailgunNotice
};
//# sourceMappingURL=mailgun.js.map
