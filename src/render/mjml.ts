import mjml2html from 'mjml';
import { mapAssembledLines } from './template-lines.ts';
import { TemplateError } from './template-error.ts';

/** MJML → HTML; a seam so tests can count compiles and benchmarks can compare. */
export type MjmlCompiler = (mjml: string) => Promise<string>;

interface MjmlIssue {
  line: number;
  message: string;
  tagName: string;
}

/**
 * MJML 5 in strict validation: an invalid document is an error, reported at the template file
 * and line it came from. No web fonts (a health newsletter loads nothing from third parties),
 * no includes, comments dropped (the file markers among them).
 */
export const compileMjml: MjmlCompiler = async (mjml) => {
  try {
    const result = await mjml2html(mjml, {
      validationLevel: 'strict',
      keepComments: false,
      fonts: {},
      ignoreIncludes: true,
    });
    return result.html;
  } catch (e) {
    const issues = (e as { errors?: MjmlIssue[] }).errors;
    if (!issues?.length) throw e;
    const lines = mapAssembledLines(mjml);
    const first = issues[0]!;
    const at = lines[first.line - 1];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new TemplateError(at?.file ?? 'templates', at?.line, `MJML: <${first.tagName}> ${first.message}${more}`);
  }
};
