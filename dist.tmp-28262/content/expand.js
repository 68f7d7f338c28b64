// ../../work/wt/h-studio/src/content/expand.ts
import { expandBody } from "./red-flags.js";
function bodyExpander(flags, emergency, options = {}) {
  return (markdown, file, bodyLine) => ({
    ...expandBody(markdown, { file, bodyLine, flags, emergency, ...options }),
    inline: (text) => text.replace(/\{\{\s*emergency\s*\}\}/g, emergency)
  });
}
export {
  bodyExpander
};
//# sourceMappingURL=expand.js.map
