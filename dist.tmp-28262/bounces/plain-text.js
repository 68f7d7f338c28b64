// ../../work/wt/h-studio/src/bounces/plain-text.ts
import { headerFields } from "./report-fields.js";
var FORMS = [
  {
    mta: "qmail",
    starts: /^Hi\. This is the qmail(?:-send)? program at |^I'm afraid I wasn't able to deliver your message to the following addresses/m,
    original: /^--- Below this line is a copy of the (?:message|mail header)\./m
  },
  {
    mta: "Exim",
    starts: /^This message was created automatically by mail delivery software\./m,
    delayed: /has not yet been delivered to one or more of its/,
    original: /^-{5,6} This is a copy of the message(?:, including all the headers|'s headers)\. -{5,6}/m
  },
  {
    mta: "Sendmail",
    starts: /^\s*-{3,5} The following addresses had (?:permanent fatal|transient non-fatal) errors -{3,5}|^\s*-{3,5} Transcript of session follows -{3,5}/m,
    delayed: /^\s*-{3,5} The following addresses had transient non-fatal errors/m,
    original: /^\s*-{3,5} (?:Original message|Unsent message|Message header|Original message header) follows -{3,5}/m
  },
  {
    mta: "Exchange",
    starts: /^(?:Delivery has failed to these recipients or (?:groups|distribution lists):|Delivery is delayed to these recipients or (?:groups|distribution lists):|Your message to .+ couldn't be delivered\.|Your message couldn't be delivered|The following recipient\(s\) (?:could not|cannot) be reached:|did not reach the following recipient\(s\):)/m,
    delayed: /^Delivery is delayed to these recipients/m,
    original: /^Original message headers:/m
  }
];
var ADDRESS = String.raw`[^\s<>@"'():,;\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`;
var ADDRESS_LINE = new RegExp(
  String.raw`^[ \t]{0,3}(?:[^\s<>@]*<mailto:)?<?(${ADDRESS})>?(?:<mailto:[^>]*>)?(?:\s+on\s.*|\s*:.*)?$`
);
var REPLY_WITH_STATUS = /\b[245]\d\d[ -]+([245]\.\d{1,3}\.\d{1,3})\b/;
var OWN_STATUS = /#([245]\.\d{1,3}\.\d{1,3})\b/;
var ANY_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;
var BASIC_REPLY = /(?:^|said:|reason:|returned\s'|<<<)\s*([45])[0-5]\d(?=[\s-]|$)/m;
function statusIn(lines) {
  for (const pattern of [REPLY_WITH_STATUS, OWN_STATUS, ANY_STATUS]) {
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) return { status: m[1], line };
    }
  }
  for (const line of lines) {
    const m = BASIC_REPLY.exec(line);
    if (m) return { status: `${m[1]}.0.0`, line };
  }
  return lines.length ? { line: lines[0] } : {};
}
function quotedHeaders(text, marker) {
  const at = marker.exec(text);
  if (!at) return /* @__PURE__ */ new Map();
  const rest = text.slice(at.index + at[0].length).replace(/^[^\n]*\n/, "").replace(/^(?:[ \t]*\n)+/, "");
  return headerFields(rest);
}
function readPlainTextBounce(text, failedRecipients) {
  const unquoted = text.replace(/\r\n?/g, "\n").split("\n").filter((line) => !line.startsWith(">")).join("\n");
  const form = FORMS.find((f) => f.starts.test(unquoted));
  if (!form) return void 0;
  const start = form.starts.exec(unquoted).index;
  const end = form.original.exec(unquoted)?.index ?? unquoted.length;
  const notice = unquoted.slice(start, Math.max(start, end));
  const action = form.delayed?.test(notice) ? "delayed" : "failed";
  const blocks = /* @__PURE__ */ new Map();
  let current;
  for (const line of notice.split("\n")) {
    const named = ADDRESS_LINE.exec(line);
    if (named) {
      const address = named[1].toLowerCase();
      current = blocks.get(address) ?? [];
      blocks.set(address, current);
      const after = line.slice(line.indexOf(named[1]) + named[1].length).replace(/^>?(?:<mailto:[^>]*>)?\s*:?\s*/, "");
      if (after && !/^on\s/.test(after)) current.push(after.trim());
      continue;
    }
    if (current && line.trim() && !/^\s*-{3,}.*-{3,}\s*$/.test(line)) current.push(line.trim());
  }
  if (!blocks.size) {
    const listed = (failedRecipients ?? "").split(",").map((a) => a.trim()).filter(Boolean);
    const lines = notice.split("\n").map((l) => l.trim()).filter(Boolean);
    for (const address of listed.length ? listed : [""]) blocks.set(address.toLowerCase(), lines);
  }
  const recipients = [...blocks].map(([address, lines]) => {
    const { status, line } = statusIn(lines);
    const fields = /* @__PURE__ */ new Map([["action", action]]);
    if (address) fields.set("final-recipient", `rfc822; ${address}`);
    if (status) fields.set("status", status);
    if (line) fields.set("diagnostic-code", line.slice(0, 500));
    return fields;
  });
  return { mta: form.mta, recipients, originalHeaders: quotedHeaders(unquoted, form.original) };
}
export {
  readPlainTextBounce
};
//# sourceMappingURL=plain-text.js.map
