// ../../work/wt/h-studio/src/subscription/names.ts
import { cleanName } from "../render/personalise.js";
var NAME_WITH_LINK = "Please give just a first name, without a web address or a domain such as example.com.";
var DOT_LIKE = /[\u3002\uff0e\uff61]/g;
var SCHEME = /[a-z][a-z0-9+.-]*:(?:\/\/|[^\s]*@)/;
var WWW = /(?:^|[^\p{L}\p{N}])www\d{0,3}\./u;
var DOMAIN = new RegExp("[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.\\p{L}[\\p{L}\\p{N}-]*\\p{L}(?![\\p{L}\\p{N}])", "u");
var IP_ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;
function holdsLink(text) {
  const folded = text.normalize("NFKC").replace(DOT_LIKE, ".").toLowerCase();
  return SCHEME.test(folded) || WWW.test(folded) || DOMAIN.test(folded) || IP_ADDRESS.test(folded);
}
function checkName(input) {
  if (typeof input !== "string") return { ok: true, name: null };
  const name = cleanName(input) || null;
  if (name !== null && holdsLink(name)) return { ok: false, reason: NAME_WITH_LINK };
  return { ok: true, name };
}
function greetingName(kind, name) {
  return kind === "confirm" ? null : name;
}
export {
  NAME_WITH_LINK,
  checkName,
  greetingName,
  holdsLink
};
//# sourceMappingURL=names.js.map
