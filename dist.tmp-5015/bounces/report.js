// ../../work/wt/h-studio/src/bounces/report.ts
import { createHash } from "node:crypto";
import { simpleParser } from "mailparser";
import { classifyFeedback, classifyStatus } from "./classify.js";
import { readPlainTextBounce } from "./plain-text.js";
import { addressIn, fieldGroups, headerFields } from "./report-fields.js";
var sha256 = (text) => createHash("sha256").update(text).digest("hex");
function normalizeMessageId(id) {
  const bare = id?.trim().replace(/^<|>$/g, "");
  return bare && /^[^<>\s]+@[^<>\s]+$/.test(bare) ? `<${bare}>` : void 0;
}
var ENVELOPE_HEADERS = ["to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to"];
var unreadable = (why) => ({ ok: false, ignored: false, why });
var ignoredReport = (why) => ({ ok: false, ignored: true, why });
function partOf(mail, ...types) {
  return mail.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
}
function envelopeAddresses(mail) {
  const returnPaths = [];
  for (const name of ENVELOPE_HEADERS) {
    const v = mail.headers.get(name);
    if (typeof v === "string") returnPaths.push(...v.split(",").map((s) => addressIn(s) ?? s.trim()));
    else for (const a of v?.value ?? []) if (a.address) returnPaths.push(a.address);
  }
  return returnPaths;
}
function messageIdsIn(headers) {
  return [normalizeMessageId(headers.get("message-id"))].filter((id) => id !== void 0);
}
function parsedReport(mail, raw) {
  const type = mail.headers.get("content-type");
  const reportType = type?.value?.toLowerCase() === "multipart/report" ? type.params?.["report-type"]?.toLowerCase() : void 0;
  const original = partOf(mail, "message/rfc822", "text/rfc822-headers");
  const originalHeaders = original ? headerFields(original.content.toString("utf8")) : /* @__PURE__ */ new Map();
  const reportId = normalizeMessageId(mail.messageId) ?? sha256(raw);
  return {
    mail,
    contentType: type?.value,
    reportType,
    original,
    originalHeaders,
    returnPaths: envelopeAddresses(mail),
    originalReturnPath: addressIn(originalHeaders.get("return-path")),
    messageIds: messageIdsIn(originalHeaders),
    key: (source) => sha256(`${source}:${reportId}`)
  };
}
function statusOf(fields) {
  return fields.get("status") ? { status: fields.get("status") } : {};
}
var detailOf = (fields) => fields.get("diagnostic-code") ?? fields.get("action") ?? "";
var present = (address) => address ? [address] : [];
function readDeliveryStatus(report) {
  const status = partOf(report.mail, "message/delivery-status");
  if (!status) return unreadable("a delivery report without its message/delivery-status part");
  const [perMessage, ...recipients] = fieldGroups(status.content.toString("utf8"));
  const worst = mostSevere(recipients);
  if (!worst) return unreadable("a delivery report that lists no recipient");
  if (worst.verdict.kind === "ignored") return ignoredReport(worst.verdict.why);
  const postfixSender = addressIn(perMessage?.get("x-postfix-sender"));
  return {
    ok: true,
    notice: {
      kind: worst.verdict.kind,
      source: "dsn",
      returnPaths: [...report.returnPaths, ...present(postfixSender), ...present(report.originalReturnPath)],
      messageIds: report.messageIds,
      ...statusOf(worst.fields),
      detail: detailOf(worst.fields),
      key: report.key("dsn")
    }
  };
}
function readFeedbackReport(report) {
  const part = partOf(report.mail, "message/feedback-report");
  if (!part) return unreadable("a feedback report without its message/feedback-report part");
  const fields = fieldGroups(part.content.toString("utf8"))[0] ?? /* @__PURE__ */ new Map();
  const verdict = classifyFeedback(fields.get("feedback-type"));
  if (verdict.kind === "ignored") return ignoredReport(verdict.why);
  const mailFrom = addressIn(fields.get(`original-mail-from`));
  return {
    ok: true,
    notice: {
      kind: verdict.kind,
      source: "arf",
      // The report is addressed to the feedback loop's mailbox, not to our return path.
      returnPaths: [...present(mailFrom), ...present(report.originalReturnPath)],
      messageIds: report.messageIds,
      status: fields.get("feedback-type").toLowerCase(),
      detail: [fields.get("user-agent"), fields.get("reported-domain")].filter(Boolean).join("; "),
      key: report.key("arf")
    }
  };
}
function readBounceInWords(report) {
  const failedRecipients = report.mail.headers.get("x-failed-recipients");
  const plain = readPlainTextBounce(
    report.mail.text ?? "",
    typeof failedRecipients === "string" ? failedRecipients : void 0
  );
  if (!plain) return void 0;
  const worst = mostSevere(plain.recipients);
  if (!worst) return unreadable(`a ${plain.mta} bounce that lists no recipient`);
  if (worst.verdict.kind === "ignored") return ignoredReport(`${plain.mta} bounce: ${worst.verdict.why}`);
  const quoted = report.original ? report.originalHeaders : plain.originalHeaders;
  return {
    ok: true,
    notice: {
      kind: worst.verdict.kind,
      source: "plain-text",
      returnPaths: [...report.returnPaths, ...present(addressIn(quoted.get("return-path")))],
      messageIds: messageIdsIn(quoted),
      ...statusOf(worst.fields),
      detail: `${plain.mta}: ${detailOf(worst.fields)}`,
      key: report.key("plain-text")
    }
  };
}
async function parseMail(raw) {
  try {
    return await simpleParser(raw, {
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true
    });
  } catch (e) {
    return { why: `not a readable email: ${e instanceof Error ? e.message : String(e)}` };
  }
}
async function readReport(raw) {
  const mail = await parseMail(raw);
  if ("why" in mail) return unreadable(mail.why);
  const report = parsedReport(mail, raw);
  const { reportType } = report;
  if (reportType === "delivery-status") return readDeliveryStatus(report);
  if (reportType === "feedback-report") return readFeedbackReport(report);
  const plain = reportType ? void 0 : readBounceInWords(report);
  if (plain) return plain;
  return unreadable(
    `not a delivery report or complaint (Content-Type ${report.contentType ?? "none"}${reportType ? `; report-type=${reportType}` : ""})`
  );
}
function mostSevere(recipients) {
  let worst;
  const rank = (c) => c.kind === "hard" ? 3 : c.kind === "soft" ? 2 : 1;
  for (const fields of recipients) {
    const verdict = classifyStatus(fields.get("action"), fields.get("status"), fields.get("diagnostic-code"));
    if (!worst || rank(verdict) > rank(worst.verdict)) worst = { verdict, fields };
  }
  return worst;
}
export {
  normalizeMessageId,
  readReport
};
//# sourceMappingURL=report.js.map
