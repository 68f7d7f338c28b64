// ../../work/wt/h-studio/src/render/mjml.ts
import mjml2html from "mjml";
import { mapAssembledLines } from "./template-lines.js";
import { TemplateError } from "./template-error.js";
var compileMjml = async (mjml) => {
  try {
    const result = await mjml2html(mjml, {
      validationLevel: "strict",
      keepComments: false,
      fonts: {},
      ignoreIncludes: true
    });
    return result.html;
  } catch (e) {
    const issues = e.errors;
    if (!issues?.length) throw e;
    const lines = mapAssembledLines(mjml);
    const first = issues[0];
    const at = lines[first.line - 1];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    throw new TemplateError(at?.file ?? "templates", at?.line, `MJML: <${first.tagName}> ${first.message}${more}`);
  }
};
export {
  compileMjml
};
//# sourceMappingURL=mjml.js.map
