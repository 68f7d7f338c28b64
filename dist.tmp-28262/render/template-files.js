// ../../work/wt/h-studio/src/render/template-files.ts
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
async function readTemplateFiles(templatesDir) {
  const files = [];
  for (const abs of await listTemplates(templatesDir)) files.push({ abs, text: await readFile(abs, "utf8") });
  return files;
}
async function listTemplates(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name === "partials") out.push(...await listTemplates(abs));
    else if (entry.isFile() && entry.name.endsWith(".hbs")) out.push(abs);
  }
  return out.sort();
}
export {
  readTemplateFiles
};
//# sourceMappingURL=template-files.js.map
