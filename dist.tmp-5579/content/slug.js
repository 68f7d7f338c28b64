// ../../work/wt/h-studio/src/content/slug.ts
import path from "node:path";
function slugFromFileName(fileName) {
  return path.basename(fileName, ".md").replace(/^\d+[-_.]?/, "");
}
export {
  slugFromFileName
};
//# sourceMappingURL=slug.js.map
