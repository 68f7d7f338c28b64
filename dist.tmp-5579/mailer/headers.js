// ../../work/wt/h-studio/src/mailer/headers.ts
import { domainToASCII } from "node:url";
function senderOf(series, override) {
  if (override) return override;
  const name = series.from.name.replace(/["\\\r\n]/g, "");
  return `"${name}" <${series.from.address}>`;
}
function domainOf(from) {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split("@")[1]?.trim().toLowerCase() || "localhost";
}
function stableMessageId(parts, from) {
  const local = parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, "-")).join(".");
  return `<ncw.${local}@${domainOf(from)}>`;
}
function listIdFor(seriesName, from) {
  const label = seriesName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "newsletter";
  return `${seriesName.replace(/[<>"\r\n]/g, "")} <${label}.${domainOf(from)}>`;
}
function wireAddress(address) {
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1);
  if (at < 0 || new RegExp("^\\p{ASCII}*$", "u").test(domain)) return address;
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain}`;
}
var qpPart = (type, body) => `Content-Type: ${type}; charset=utf-8\r
Content-Transfer-Encoding: quoted-printable\r
\r
${body}`;
function toNodemailer(message) {
  const headers = { ...message.headers };
  if (message.listId) headers["List-Id"] = message.listId;
  if (message.unsubscribeUrl) {
    headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return {
    from: message.from,
    to: message.toName ? { name: message.toName, address: wireAddress(message.to) } : wireAddress(message.to),
    subject: message.subject,
    // Parts encoded with the compiled email go as they are (nodemailer adds nothing to a raw
    // part); otherwise nodemailer encodes them.
    ...message.encoded ? {
      text: { raw: qpPart("text/plain", message.encoded.text) },
      html: { raw: qpPart("text/html", message.encoded.html) }
    } : { html: message.html, text: message.text },
    messageId: message.messageId,
    headers,
    ...message.returnPath ? { envelope: { from: message.returnPath, to: [message.to] } } : {},
    // Our HTML and text are mostly ASCII: quoted-printable keeps them readable and spares
    // nodemailer scanning every part to choose an encoding (a third of its time per message).
    textEncoding: "quoted-printable",
    // Health mail: no tracking, no remote content, nothing else to add.
    disableFileAccess: true,
    disableUrlAccess: true
  };
}
export {
  domainOf,
  listIdFor,
  senderOf,
  stableMessageId,
  toNodemailer,
  wireAddress
};
//# sourceMappingURL=headers.js.map
