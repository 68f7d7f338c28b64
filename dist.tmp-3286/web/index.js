// ../../work/wt/h-studio/src/web/index.ts
import { feedbackBlock } from "./feedback-pages.js";
import {
  buildSite,
  startSite,
  defaultLimits
} from "./site.js";
import { liveContent, fixedContent } from "./public/content.js";
export {
  buildSite,
  defaultLimits,
  feedbackBlock,
  fixedContent,
  liveContent,
  startSite
};
//# sourceMappingURL=index.js.map
