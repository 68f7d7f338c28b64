// ../../work/wt/h-studio/src/render/personalise.ts
import { escapeHtml } from "../content/escape.js";
var placeholderNames = [
  "greeting",
  "unsubscribeUrl",
  "preferencesUrl",
  "confirmUrl",
  "feedbackUrl",
  "firstTip"
];
var placeholder = (name) => `%%ncw:${name}%%`;
function toFillable(compiled) {
  const parts = compiled.split(/%%ncw:([a-zA-Z]+)%%/);
  const pieces = [];
  const names = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) pieces.push(part);
    else if (placeholderNames.includes(part)) names.push(part);
    else throw new Error(`unknown placeholder %%ncw:${part}%%`);
  });
  return { pieces, names };
}
function fill(f, values, escape) {
  return joinFilled(f.pieces, f.names, values, escape ? escapeHtml : (value) => value);
}
function joinFilled(pieces, names, values, each) {
  let out = pieces[0];
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = values[name];
    if (value === void 0) throw new Error(`no value for ${name}: this email needs it`);
    out += each(value) + pieces[i + 1];
  }
  return out;
}
var MAX_NAME_LENGTH = 80;
function cleanName(name) {
  return (name ?? "").replace(/[\p{Cc}\u2028\u2029]/gu, " ").replace(/\s+/g, " ").trim().slice(0, MAX_NAME_LENGTH);
}
function recipientValues(r) {
  const name = cleanName(r.name);
  return {
    greeting: name ? `Hi ${name},` : "Hi there,",
    ...r.unsubscribeUrl ? { unsubscribeUrl: r.unsubscribeUrl } : {},
    ...r.preferencesUrl ? { preferencesUrl: r.preferencesUrl } : {},
    ...r.confirmUrl ? { confirmUrl: r.confirmUrl } : {},
    ...r.feedbackUrl ? { feedbackUrl: r.feedbackUrl } : {},
    // Sample readers (studio, check, render) have no schedule: a true sentence without a date.
    firstTip: r.firstTip ?? "Your first tip arrives at your next evening send time."
  };
}
export {
  MAX_NAME_LENGTH,
  cleanName,
  fill,
  joinFilled,
  placeholder,
  placeholderNames,
  recipientValues,
  toFillable
};
//# sourceMappingURL=personalise.js.map
