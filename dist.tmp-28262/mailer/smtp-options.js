// ../../work/wt/h-studio/src/mailer/smtp-options.ts
import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import { withoutAddresses } from "../redact.js";
import { SendError } from "./mailer.js";
import { classifyMailStatus, replyCodes, senderAdvice } from "./smtp-status.js";
import { smtpTimeouts } from "./smtp-timeouts.js";
var CONNECTION_CODES = /* @__PURE__ */ new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "ECONNRESET", "EPROTOCOL", "EMAXLIMIT"]);
var CERTIFICATE = /certificate|self[- ]signed|\bCERT_|altnames|UNABLE_TO_(VERIFY|GET)/i;
var UNREACHABLE = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/;
function stageOf(command) {
  if (command === "RCPT TO") return "recipient";
  if (command === "DATA") return "message";
  return "session";
}
var SETUP_FAILURES = [
  {
    matches: (e) => e.code === "EDNS" || UNREACHABLE.test(e.message ?? ""),
    error: (shown) => new SendError("unavailable", shown, true)
  },
  {
    matches: (e) => e.code === "EAUTH" || e.code === "ENOAUTH",
    error: (shown) => new SendError("unavailable", shown, false, {
      advice: `the relay refused the login (${shown}): check the user and password in NEWSLETTER_SMTP_URL`
    })
  },
  {
    matches: (e) => CERTIFICATE.test(e.message ?? ""),
    error: (shown) => new SendError("unavailable", shown, true, {
      advice: `the relay's TLS certificate does not verify (${shown}): name the relay in NEWSLETTER_SMTP_URL by the host its certificate is for, or have its certificate renewed`
    })
  },
  {
    matches: (e) => e.command === "STARTTLS" || e.code === "ETLS",
    error: (shown) => new SendError("unavailable", shown, true, {
      advice: `TLS with the relay failed (${shown}); with a password in NEWSLETTER_SMTP_URL the newsletter never logs in without TLS: use a relay that offers STARTTLS, or smtps://\u2026:465; for a relay on a network you trust, set NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1`
    })
  }
];
function classifySmtpError(error) {
  const e = error;
  const response = (e.response ?? e.message ?? String(error)).slice(0, 500);
  const code = e.responseCode;
  const shown = code ? response : `${e.code ?? "error"}: ${response}`;
  const setup = SETUP_FAILURES.find((rule) => rule.matches(e));
  if (setup) return setup.error(shown);
  if (code === void 0) {
    const connection = Boolean(e.code && CONNECTION_CODES.has(e.code));
    return new SendError(connection ? "relay" : "temporary", shown, connection);
  }
  return fromAnswer(e, code, response, shown);
}
function fromAnswer(e, code, response, shown) {
  const stage = stageOf(e.command);
  const verdict = classifyMailStatus({ basic: code, enhanced: replyCodes(response).enhanced, stage });
  if (verdict.party === "reader-permanent") return new SendError("permanent", shown);
  if (verdict.party === "sender-temporary")
    return new SendError("relay", shown, code === 421, { recipient: stage !== "session" });
  if (verdict.party !== "sender-permanent") return new SendError("temporary", shown);
  const mailFrom = e.command === "MAIL FROM";
  return new SendError("unavailable", shown, false, {
    senderRefusal: true,
    advice: `the relay refused ${refusedPart(stage, e.command)}: ${withoutAddresses(shown)} (${verdict.code}: ${verdict.meaning}; about the sender, not the reader, so nobody was bounced); ${senderAdvice(verdict, { mailFrom })}`
  });
}
function refusedPart(stage, command) {
  if (stage === "recipient") return "a recipient";
  if (stage === "message") return "the message itself";
  return command === "MAIL FROM" ? "the sender (MAIL FROM)" : `the session (${command ?? "greeting"})`;
}
var LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");
LOOPBACK.addSubnet("::ffff:127.0.0.0", 104, "ipv6");
function isLoopbackHost(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (host === "localhost") return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
}
function smtpTransportOptions(options) {
  const url = new URL(options.url);
  const secure = url.protocol === "smtps:";
  const loopback = isLoopbackHost(url.hostname);
  const requireTLS = Boolean(url.username) && !secure && !loopback && !options.authWithoutTls;
  return {
    pool: true,
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    ...requireTLS ? { requireTLS: true } : {},
    ...url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {},
    maxConnections: options.pool,
    maxMessages: 1e3,
    ...options.rate ? { rateLimit: Math.max(1, Math.round(options.rate)), rateDelta: 1e3 } : {},
    ...smtpTimeouts(options.timeoutMs),
    ...loopback ? { tls: { rejectUnauthorized: false } } : {},
    ...options.dkim ? {
      dkim: {
        domainName: options.dkim.domain,
        keySelector: options.dkim.selector,
        privateKey: readFileSync(options.dkim.keyFile, "utf8")
      }
    } : {}
  };
}
function describeSmtp(options) {
  const url = new URL(options.url);
  const where = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === "smtps:" ? 465 : 587)}`;
  return `SMTP ${where} (pool ${options.pool}${options.rate ? `, at most ${options.rate}/s` : ""}${options.dkim ? ", DKIM" : ""})`;
}
function rejectedRecipients(response) {
  const basic = replyCodes(response).basic;
  return classifySmtpError(
    Object.assign(new Error("recipient rejected"), {
      responseCode: basic !== void 0 && basic >= 400 ? basic : 550,
      code: "EENVELOPE",
      response,
      command: "RCPT TO"
    })
  );
}
export {
  classifySmtpError,
  describeSmtp,
  isLoopbackHost,
  rejectedRecipients,
  smtpTransportOptions
};
//# sourceMappingURL=smtp-options.js.map
