// ../../work/wt/h-studio/src/render/index.ts
import { Renderer } from "./renderer.js";
import {
  systemEmails,
  systemSubjects
} from "./compiled.js";
import { compileMjml, loadTemplates } from "./on-demand.js";
import { TemplateError } from "./template-error.js";
export {
  Renderer,
  TemplateError,
  compileMjml,
  loadTemplates,
  systemEmails,
  systemSubjects
};
//# sourceMappingURL=index.js.map
