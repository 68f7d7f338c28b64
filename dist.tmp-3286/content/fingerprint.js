// ../../work/wt/h-studio/src/content/fingerprint.ts
import { createHash } from "node:crypto";
var FINGERPRINT_FIELDS = ["title", "subject", "preheader", "tonight", "sources", "body"];
var LENGTH = 12;
var hash = (s) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, LENGTH);
function normalise(s) {
  return (s ?? "").replace(/\r\n?/g, "\n").split("\n").map((line) => line.trimEnd()).join("\n").trim();
}
function fieldFingerprints(text) {
  return {
    title: hash(normalise(text.title)),
    subject: hash(normalise(text.subject)),
    preheader: hash(normalise(text.preheader)),
    tonight: hash(normalise(text.tonight)),
    sources: hash(JSON.stringify(text.sources.map((s) => [normalise(s.title), s.url.trim()]))),
    body: hash(normalise(text.body))
  };
}
function textFingerprint(text) {
  const fields = fieldFingerprints(text);
  return hash(FINGERPRINT_FIELDS.map((f) => `${f}=${fields[f]}`).join("\n"));
}
function changedFields(was, now) {
  return FINGERPRINT_FIELDS.filter((f) => was[f] !== now[f]);
}
function tipText(tip) {
  return {
    title: tip.title,
    subject: tip.subject,
    preheader: tip.preheader,
    tonight: tip.tonight,
    sources: tip.sources,
    body: tip.sourceMarkdown
  };
}
export {
  FINGERPRINT_FIELDS,
  changedFields,
  fieldFingerprints,
  textFingerprint,
  tipText
};
//# sourceMappingURL=fingerprint.js.map
