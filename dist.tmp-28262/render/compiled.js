// ../../work/wt/h-studio/src/render/compiled.ts
import { bodyParts } from "../content/index.js";
import { placeholderNames } from "./personalise.js";
var systemEmails = ["confirm", "welcome", "goodbye"];
var systemSubjects = (series) => ({
  confirm: {
    subject: `Please confirm: ${series.name}`,
    preheader: `One click and your first tip about night leg cramps is on its way.`
  },
  welcome: {
    subject: `Welcome to ${series.name}`,
    preheader: `What to expect: one short, honest tip a week, in your evening before bed.`
  },
  goodbye: {
    subject: `You are unsubscribed from ${series.name}`,
    preheader: `No more tips will arrive. This is the last email we send you.`
  }
});
function tipInput(tip) {
  const { main, closing } = bodyParts(tip);
  return {
    kind: "tip",
    slug: tip.slug,
    subject: tip.subject,
    preheader: tip.preheader,
    listMail: true,
    tip: {
      week: tip.week,
      title: tip.title,
      html: main,
      closingHtml: closing,
      tonight: tip.tonight ?? null,
      sources: tip.sources.map(({ title, url }) => ({ title, url })),
      reviewed: tip.reviewed ?? null,
      // Shown only with `reviewed` (the template's "Reviewed by NAME, ROLE").
      reviewedBy: tip.reviewedBy ?? null,
      // A draft has no public page yet: its test emails carry no "View in your browser" link.
      draft: tip.draft
    }
  };
}
function systemInput(kind, series) {
  return { kind, ...systemSubjects(series)[kind], listMail: kind === "welcome" };
}
function isCompiledEmail(v) {
  if (!isObject(v)) return false;
  const kinds = ["tip", ...systemEmails];
  return kinds.includes(v.kind) && (v.slug === void 0 || typeof v.slug === "string") && typeof v.subject === "string" && typeof v.preheader === "string" && typeof v.listMail === "boolean" && isFillable(v.html) && isFillable(v.text);
}
function isFillable(v) {
  return isObject(v) && Array.isArray(v.pieces) && Array.isArray(v.names) && v.pieces.length === v.names.length + 1 && v.pieces.every((p) => typeof p === "string") && v.names.every((n) => placeholderNames.includes(n));
}
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
export {
  isCompiledEmail,
  systemEmails,
  systemInput,
  systemSubjects,
  tipInput
};
//# sourceMappingURL=compiled.js.map
