// ../../work/wt/h-studio/src/render/cache-keys.ts
import { createHash } from "node:crypto";
import path from "node:path";
var FORMAT = "ncw-compiled-1";
var sha256 = (...parts) => createHash("sha256").update(JSON.stringify([FORMAT, ...parts])).digest("hex");
function contentEntry(code, files) {
  return `content-${sha256("content", code, files)}`;
}
function emailScope(code, templates, rootDir, series, baseUrl) {
  const files = templates.map((t) => [path.relative(rootDir, t.abs), t.text]);
  return sha256("scope", code, files, series, baseUrl);
}
function emailEntry(scope, input) {
  const label = (input.slug ? `tip-${input.slug}` : input.kind).toLowerCase().replace(/[^a-z0-9-]+/g, "_").slice(0, 60);
  return `${label}-${sha256("email", scope, input)}`;
}
export {
  contentEntry,
  emailEntry,
  emailScope
};
//# sourceMappingURL=cache-keys.js.map
