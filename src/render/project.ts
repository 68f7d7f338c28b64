import path from 'node:path';
import type { Config } from '../config.ts';
import type { ContentOverrides } from '../content/files.ts';
import { NO_HOLDS, type ContentPage, type Series, type Tip, type TipHolds } from '../content/index.ts';
import { hasErrors, ProblemsError, type Problem } from '../problems.ts';
import { emailEntry, emailScope } from './cache-keys.ts';
import { loadCachedContent } from './cached-content.ts';
import { codeFingerprint } from './code-fingerprint.ts';
import { CompiledCache } from './compiled-cache.ts';
import { systemEmails, systemInput, tipInput } from './compiled.ts';
import type { HtmlCompaction } from './compile-email.ts';
import type { MjmlCompiler } from './mjml.ts';
import { Renderer } from './renderer.ts';
import { readTemplateFiles, type TemplateFile } from './template-files.ts';
import { TemplateError } from './template-error.ts';

/** The editors' side of the project, loaded: settings, tips, templates and a renderer. */
export interface Project {
  series: Series;
  tips: Tip[];
  /** Pages editors own (`content/pages/*.md`), such as the help page. */
  pages: ContentPage[];
  renderer: Renderer;
  /** Problems found while loading (warnings, and errors of tips left out). */
  problems: Problem[];
  /**
   * The published tips that do not go out now, by `check`'s rules (see check/release-gate.ts):
   * filled in by the app for the site and the sender (`App.released`), empty as loaded.
   */
  holds: TipHolds;
}

export interface LoadOptions {
  mjml?: MjmlCompiler;
  /**
   * Load Handlebars and MJML up front when some email is not in the cache, so the first email
   * someone waits for (the studio's) is no slower than the rest. Off for passes and the site:
   * they may never compile anything, and MJML alone costs about 60 MB.
   */
  prepare?: boolean;
  /** See RendererOptions.compact: `false` renders MJML's output as it is (tests compare the two). */
  compact?: HtmlCompaction;
  /** Unsaved text standing in for files on disk (the studio's editor); see ContentOverrides. */
  overrides?: ContentOverrides;
}

/**
 * Loads content and templates. Throws ProblemsError only when nothing can be rendered at all
 * (broken series.yml or templates folder); a broken tip is left out and reported.
 *
 * Content and compiled emails come from the compiled cache (`config.cacheDir`) when the files
 * they were made from are unchanged; the parsers, Handlebars and MJML load only on a miss.
 */
export async function loadProject(config: Config, options: LoadOptions = {}): Promise<Project> {
  const cache = openCache(config);
  const code = await codeFingerprint();
  const { content, entry, parsed } = await loadCachedContent(
    config.contentDir,
    config.rootDir,
    code,
    cache,
    options.overrides,
  );
  const { series, tips } = content;
  if (!series) throw new ProblemsError(content.problems);
  let templateFiles: TemplateFile[];
  try {
    templateFiles = await readTemplateFiles(config.templatesDir);
  } catch (e) {
    throw new ProblemsError([...content.problems, templateProblem(e)]);
  }
  const scope = emailScope(code, templateFiles, config.rootDir, series, config.baseUrl);
  const renderer = new Renderer({
    // The snapshot hashed into `scope` is the one compiled, whatever happens to the files since.
    templates: async () =>
      (await import('./templates.ts')).compileTemplates(templateFiles, config.templatesDir, config.rootDir),
    series,
    baseUrl: config.baseUrl,
    ...(options.mjml ? { mjml: options.mjml } : {}),
    ...(options.compact !== undefined ? { compact: options.compact } : {}),
    ...(cache ? { disk: { cache, scope } } : {}),
  });
  const emails = [...tips.map(tipInput), ...systemEmails.map((kind) => systemInput(kind, series))].map((input) =>
    emailEntry(scope, input),
  );
  // Unsaved text is a passing state: its entries are not the ones to keep (or to prune others for).
  if (cache && !options.overrides) {
    cache.keep([entry, ...emails]);
    if (parsed) void cache.write(entry, content);
  }
  // Errors are left to the compile that needs the tools, which reports them with context.
  if (options.prepare && !(await cache?.hasAll(emails))) await renderer.prepare().catch(() => undefined);
  return { series, tips, pages: content.pages ?? [], renderer, problems: content.problems, holds: NO_HOLDS };
}

function openCache(config: Config): CompiledCache | undefined {
  if (config.cacheDir === false) return undefined;
  if (config.cacheDir) return new CompiledCache(config.cacheDir);
  return new CompiledCache(path.join(config.rootDir, '.cache', 'compiled'), { within: config.rootDir });
}

export function templateProblem(e: unknown): Problem {
  if (e instanceof TemplateError)
    return {
      severity: 'error',
      check: 'template',
      file: e.file,
      ...(e.line ? { line: e.line } : {}),
      message: e.detail,
    };
  return { severity: 'error', check: 'template', message: e instanceof Error ? e.message : String(e) };
}

export { hasErrors };
