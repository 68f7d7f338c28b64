// ../../work/wt/h-studio/src/preview/editor-bundle.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
var EDITOR_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "editor", "main.js");
var built;
function editorBundle(assetsDir) {
  built ??= readFile(path.join(assetsDir, "editor.js"), "utf8").catch(async () => {
    const { build } = await import("esbuild");
    const out = await build({ ...EDITOR_BUILD, entryPoints: [EDITOR_ENTRY], write: false });
    return out.outputFiles[0].text;
  });
  return built;
}
var EDITOR_BUILD = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "eof",
  logLevel: "warning"
};
export {
  EDITOR_BUILD,
  EDITOR_ENTRY,
  editorBundle
};
//# sourceMappingURL=editor-bundle.js.map
