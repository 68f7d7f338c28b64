import type { MjmlCompiler } from './mjml.ts';
import type { TemplateSet } from './templates.ts';

/**
 * MJML and Handlebars, imported on first use rather than on import: MJML alone holds tens of
 * megabytes, and a pass whose emails are all in the compiled cache never needs either.
 */
export const compileMjml: MjmlCompiler = async (mjml) => (await import('./mjml.ts')).compileMjml(mjml);

export async function loadTemplates(templatesDir: string, rootDir = process.cwd()): Promise<TemplateSet> {
  return (await import('./templates.ts')).loadTemplates(templatesDir, rootDir);
}
