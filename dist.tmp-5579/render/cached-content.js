// ../../work/wt/h-studio/src/render/cached-content.ts
import { readContentFiles } from "../content/files.js";
import { contentEntry } from "./cache-keys.js";
async function loadCachedContent(contentDir, rootDir, code, cache, overrides) {
  const files = await readContentFiles(contentDir, rootDir, overrides);
  const entry = contentEntry(code, files);
  const stored = await cache?.read(entry, isContent);
  if (stored) return { content: stored, entry, parsed: false };
  const { contentFromFiles } = await import("../content/load.js");
  return { content: contentFromFiles(files), entry, parsed: true };
}
function isContent(v) {
  if (!isObject(v) || !Array.isArray(v.tips) || !Array.isArray(v.problems)) return false;
  if (v.pages !== void 0 && !(Array.isArray(v.pages) && v.pages.every(
    (p) => isObject(p) && typeof p.name === "string" && typeof p.html === "string" && typeof p.webHtml === "string"
  )))
    return false;
  return isObject(v.series) && v.tips.every(isTip) && v.problems.every((p) => isObject(p) && typeof p.severity === "string" && typeof p.message === "string");
}
function isTip(v) {
  if (!isObject(v)) return false;
  const strings = ["slug", "title", "subject", "preheader", "file", "markdown", "sourceMarkdown", "html", "webHtml"];
  const numbers = ["week", "bodyLine", "weekLine"];
  return strings.every((k) => typeof v[k] === "string") && numbers.every((k) => typeof v[k] === "number") && typeof v.draft === "boolean" && isObject(v.fieldLines) && Array.isArray(v.sources) && v.sources.every((s) => isObject(s) && typeof s.title === "string" && typeof s.url === "string");
}
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
export {
  loadCachedContent
};
//# sourceMappingURL=cached-content.js.map
