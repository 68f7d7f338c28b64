// ../../work/wt/h-studio/src/mailer/smtp-status.ts
var ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})$/;
var REPLY = /^\s*([2-5]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3})\b)?/;
function replyCodes(reply) {
  const m = REPLY.exec(reply ?? "");
  if (!m) return {};
  return { basic: Number(m[1]), ...m[2] ? { enhanced: m[2] } : {} };
}
function enhancedCodeIn(text) {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text ?? "")?.[1];
}
var lasting = (cls, party) => `${party}-${cls === 5 ? "permanent" : "temporary"}`;
var SENDER_SUBJECTS = {
  "1.7": "the sender's address",
  "1.8": "the sender's address",
  "2.3": "the message's size",
  "3": "the mail system (full, not accepting mail, misconfigured)",
  "4": "routing, quota or congestion",
  "5": "the SMTP protocol",
  "6": "the message's content or format",
  "7": "policy, relaying or a block list"
};
var READER_SUBJECTS = {
  "1": { lasts: true, meaning: "the reader's address" },
  "2.1": { lasts: true, meaning: "the reader's mailbox is disabled" },
  "2.2": { lasts: false, meaning: "the reader's mailbox is full" },
  "2": { lasts: false, meaning: "the reader's mailbox" }
};
var READER_BASIC_CODES = {
  550: { party: "reader-permanent", meaning: "the reader's mailbox is unavailable" },
  551: { party: "reader-permanent", meaning: "the reader's mailbox is unavailable" },
  553: { party: "reader-permanent", meaning: "the reader's mailbox is unavailable" },
  521: { party: "reader-permanent", meaning: "the reader's domain takes no mail" },
  556: { party: "reader-permanent", meaning: "the reader's domain takes no mail" },
  552: { party: "reader-temporary", meaning: "the reader's mailbox, for now" },
  450: { party: "reader-temporary", meaning: "the reader's mailbox, for now" },
  451: { party: "reader-temporary", meaning: "the reader's mailbox, for now" },
  452: { party: "reader-temporary", meaning: "the reader's mailbox, for now" }
};
var bySubject = (table, subject, detail) => table[`${subject}.${detail}`] ?? table[String(subject)];
function statusClass(basic, enhanced) {
  const basicClass = basic !== void 0 && basic >= 200 && basic < 600 ? Math.floor(basic / 100) : void 0;
  return basicClass ?? (enhanced ? Number(enhanced[1]) : void 0);
}
function classifyMailStatus(input) {
  const { basic, stage } = input;
  const e = ENHANCED.exec(input.enhanced ?? "");
  const cls = statusClass(basic, e);
  const code = e ? e[0] : basic !== void 0 ? String(basic) : "none";
  if (cls === 2) return { party: "success", code, meaning: "accepted" };
  if (basic === 421)
    return {
      party: "sender-temporary",
      code: e ? `421 ${e[0]}` : "421",
      meaning: "the server is closing the connection"
    };
  if (cls !== 4 && cls !== 5) return { party: "reader-temporary", code, meaning: "no usable status code" };
  if (stage === "session")
    return { party: lasting(cls, "sender"), code, meaning: "refused before any recipient (greeting, login or sender)" };
  return (e && byEnhancedCode(cls, Number(e[2]), Number(e[3]), code)) ?? byBasicCode(cls, basic, stage, code);
}
function byEnhancedCode(cls, subject, detail, code) {
  if (subject === 0) return void 0;
  const about = bySubject(SENDER_SUBJECTS, subject, detail);
  if (about) return { party: lasting(cls, "sender"), code, meaning: about };
  const reader = bySubject(READER_SUBJECTS, subject, detail);
  if (reader)
    return { party: reader.lasts ? lasting(cls, "reader") : "reader-temporary", code, meaning: reader.meaning };
  return void 0;
}
function byBasicCode(cls, basic, stage, code) {
  if (basic === void 0) return { party: "reader-temporary", code, meaning: "no detail in the status code" };
  const shown = String(basic);
  if (stage === "message")
    return { party: lasting(cls, "sender"), code: shown, meaning: "the message itself was refused" };
  const reader = READER_BASIC_CODES[basic];
  if (reader) return { ...reader, code: shown };
  return {
    party: lasting(cls, "sender"),
    code: shown,
    meaning: basic === 554 ? "the transaction was refused (often a block list or policy)" : "refused for a reason about the sender"
  };
}
function senderAdvice(verdict, at = {}) {
  const m = /([245])\.(\d{1,3})\.(\d{1,3})/.exec(verdict.code);
  const subject = m && m[2] !== "0" ? Number(m[2]) : at.mailFrom ? 1 : void 0;
  const detail = m ? Number(m[3]) : void 0;
  if (subject === 7)
    return "check that the relay account in NEWSLETTER_SMTP_URL may send (and relay) for NEWSLETTER_FROM's domain, that the sending IP is on no block list (e.g. Spamhaus's lookup) and that SPF, DKIM and DMARC pass for it";
  if (subject === 4)
    return "check the relay account's sending quota and limits (raise it, or lower NEWSLETTER_RATE) and the relay's routing";
  if (subject === 3) return "check the relay's mail system (disk, queue, configuration) or ask its operator";
  if (subject === 5)
    return "check NEWSLETTER_SMTP_URL (host, port, smtp:// or smtps://) against what the relay expects";
  if (subject === 6 || subject === 2 && detail === 3)
    return "check the email's content and size (`newsletter check`) against the relay's limits";
  if (subject === 1) return "check NEWSLETTER_FROM and NEWSLETTER_BOUNCE_ADDRESS: the relay refuses the sender address";
  return "check the relay's answer with its operator or documentation (account, sending limits, block lists)";
}
export {
  classifyMailStatus,
  enhancedCodeIn,
  replyCodes,
  senderAdvice
};
//# sourceMappingURL=smtp-status.js.map
