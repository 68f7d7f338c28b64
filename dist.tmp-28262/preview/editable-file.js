// ../../work/wt/h-studio/src/preview/editable-file.ts
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
var SHAPE = /^content\/(tips|pages)\/[^/\\]+\.md$/;
async function resolveEditable(rootDir, contentDir, asked) {
  const refuse = { ok: false, error: "only content/tips/*.md and content/pages/*.md can be edited here" };
  if (typeof asked !== "string" || asked.length > 300 || path.isAbsolute(asked) || asked.includes("\\")) return refuse;
  const normal = path.posix.normalize(asked);
  if (normal !== asked || !SHAPE.test(normal)) return refuse;
  const abs = path.resolve(rootDir, normal);
  const contentReal = await realpath(contentDir).catch(() => void 0);
  if (!contentReal || path.resolve(rootDir, "content") !== path.resolve(contentDir)) return refuse;
  try {
    if ((await lstat(abs)).isSymbolicLink()) return refuse;
    const real = await realpath(abs);
    if (!real.startsWith(contentReal + path.sep)) return refuse;
  } catch {
    const folderReal = await realpath(path.dirname(abs)).catch(() => void 0);
    if (!folderReal || !folderReal.startsWith(contentReal + path.sep)) return refuse;
  }
  return { ok: true, rel: normal, abs, kind: normal.startsWith("content/tips/") ? "tip" : "page" };
}
export {
  resolveEditable
};
//# sourceMappingURL=editable-file.js.map
