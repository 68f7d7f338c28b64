import type { Config } from '../config.ts';
import { loadContent, type Series, type Tip } from '../content/index.ts';
import { hasErrors, ProblemsError, type Problem } from '../problems.ts';
import { loadTemplates, Renderer, TemplateError, type MjmlCompiler } from './index.ts';

/** The editors' side of the project, loaded: settings, tips, templates and a renderer. */
export interface Project {
  series: Series;
  tips: Tip[];
  renderer: Renderer;
  /** Problems found while loading (warnings, and errors of tips left out). */
  problems: Problem[];
}

export interface LoadOptions {
  mjml?: MjmlCompiler;
}

/**
 * Loads content and templates. Throws ProblemsError only when nothing can be rendered at all
 * (broken series.yml or templates folder); a broken tip is left out and reported.
 */
export async function loadProject(config: Config, options: LoadOptions = {}): Promise<Project> {
  const content = await loadContent(config.contentDir, config.rootDir);
  if (!content.series) throw new ProblemsError(content.problems);
  let templates;
  try {
    templates = await loadTemplates(config.templatesDir, config.rootDir);
  } catch (e) {
    throw new ProblemsError([...content.problems, templateProblem(e)]);
  }
  const renderer = new Renderer({ templates, series: content.series, baseUrl: config.baseUrl, ...(options.mjml ? { mjml: options.mjml } : {}) });
  return { series: content.series, tips: content.tips, renderer, problems: content.problems };
}

export function templateProblem(e: unknown): Problem {
  if (e instanceof TemplateError) return { severity: 'error', check: 'template', file: e.file, ...(e.line ? { line: e.line } : {}), message: e.detail };
  return { severity: 'error', check: 'template', message: e instanceof Error ? e.message : String(e) };
}

export { hasErrors };
