// ../../work/wt/h-studio/src/render/template-error.ts
import { TemplateError } from "../errors.js";
export {
  TemplateError
};
//# sourceMappingURL=template-error.js.map
