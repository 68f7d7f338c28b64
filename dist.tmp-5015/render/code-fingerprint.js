// ../../work/wt/h-studio/src/render/code-fingerprint.ts
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
var LIBRARIES = ["mjml", "handlebars", "html-to-text", "marked", "gray-matter", "yaml", "zod"];
var memo;
function codeFingerprint() {
  memo ??= compute().catch((e) => {
    memo = void 0;
    throw e;
  });
  return memo;
}
async function compute() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256");
  for (const dir of [here, path.join(here, "..", "content")]) {
    for (const name of (await readdir(dir)).sort()) {
      const text = await readFile(path.join(dir, name)).catch(() => void 0);
      if (text) hash.update(`${path.basename(dir)}/${name}\0${text.length}\0`).update(text);
    }
  }
  for (const name of LIBRARIES) hash.update(`${name}@${await installedVersion(name, here)}\0`);
  return hash.digest("hex");
}
async function installedVersion(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = await readFile(path.join(dir, "node_modules", name, "package.json"), "utf8").catch(
      () => void 0
    );
    if (manifest) return JSON.parse(manifest).version ?? "?";
    if (path.dirname(dir) === dir) return "missing";
  }
}
export {
  codeFingerprint
};
//# sourceMappingURL=code-fingerprint.js.map
