// ../../work/wt/h-studio/src/content/index.ts
import { slugFromFileName } from "./slug.js";
async function loadContent(contentDir, rootDir = process.cwd()) {
  const { loadContent: load } = await import("./load.js");
  return load(contentDir, rootDir);
}
function publishedTips(tips) {
  return tips.filter((t) => !t.draft).sort((a, b) => a.week - b.week);
}
function findTip(tips, ref) {
  return /^\d+$/.test(ref) ? tips.find((t) => t.week === Number(ref)) : tips.find((t) => t.slug === ref);
}
function bodyParts(tip, target = "email") {
  const [html, closingHtml] = target === "web" ? [tip.webHtml, tip.closingWebHtml] : [tip.html, tip.closingHtml];
  if (!closingHtml || !html.endsWith(closingHtml)) return { main: html, closing: null };
  return { main: html.slice(0, html.length - closingHtml.length), closing: closingHtml };
}
export {
  bodyParts,
  findTip,
  loadContent,
  publishedTips,
  slugFromFileName
};
//# sourceMappingURL=index.js.map
