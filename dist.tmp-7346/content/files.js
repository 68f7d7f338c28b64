// ../../work/wt/h-studio/src/content/files.ts
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
async function readContentFiles(contentDir, rootDir = process.cwd(), overrides) {
  const tips = await readTipFiles(path.join(contentDir, "tips"), rootDir);
  const pages = await readTipFiles(path.join(contentDir, "pages"), rootDir);
  return {
    series: await readSeriesFile(contentDir, rootDir),
    tips: overrides ? override(tips, overrides) : tips,
    pages: overrides ? override(pages, overrides) : pages
  };
}
function override(folder, overrides) {
  if (!folder.files) return folder;
  return { ...folder, files: folder.files.map((f) => ({ file: f.file, text: overrides.get(f.file) ?? f.text })) };
}
async function readSeriesFile(contentDir, rootDir = process.cwd()) {
  const abs = path.join(contentDir, "series.yml");
  const text = await readFile(abs, "utf8").catch(() => void 0);
  return { file: relative(rootDir, abs), ...text === void 0 ? {} : { text } };
}
async function readTipFiles(tipsDir, rootDir = process.cwd()) {
  const folder = relative(rootDir, tipsDir);
  let names;
  try {
    names = (await readdir(tipsDir)).filter((n) => n.endsWith(".md")).sort();
  } catch {
    return { folder };
  }
  const files = [];
  for (const name of names) {
    const abs = path.join(tipsDir, name);
    files.push({ file: relative(rootDir, abs), text: await readFile(abs, "utf8") });
  }
  return { folder, files };
}
var relative = (rootDir, abs) => path.relative(rootDir, abs) || abs;
export {
  readContentFiles,
  readSeriesFile,
  readTipFiles
};
//# sourceMappingURL=files.js.map
