// ../../work/wt/h-studio/src/render/project.ts
import path from "node:path";
import { hasErrors, ProblemsError } from "../problems.js";
import { emailEntry, emailScope } from "./cache-keys.js";
import { loadCachedContent } from "./cached-content.js";
import { codeFingerprint } from "./code-fingerprint.js";
import { CompiledCache } from "./compiled-cache.js";
import { systemEmails, systemInput, tipInput } from "./compiled.js";
import { Renderer } from "./renderer.js";
import { readTemplateFiles } from "./template-files.js";
import { TemplateError } from "./template-error.js";
async function loadProject(config, options = {}) {
  const cache = openCache(config);
  const code = await codeFingerprint();
  const { content, entry, parsed } = await loadCachedContent(
    config.contentDir,
    config.rootDir,
    code,
    cache,
    options.overrides
  );
  const { series, tips } = content;
  if (!series) throw new ProblemsError(content.problems);
  let templateFiles;
  try {
    templateFiles = await readTemplateFiles(config.templatesDir);
  } catch (e) {
    throw new ProblemsError([...content.problems, templateProblem(e)]);
  }
  const scope = emailScope(code, templateFiles, config.rootDir, series, config.baseUrl);
  const renderer = new Renderer({
    // The snapshot hashed into `scope` is the one compiled, whatever happens to the files since.
    templates: async () => (await import("./templates.js")).compileTemplates(templateFiles, config.templatesDir, config.rootDir),
    series,
    baseUrl: config.baseUrl,
    ...options.mjml ? { mjml: options.mjml } : {},
    ...cache ? { disk: { cache, scope } } : {}
  });
  const emails = [...tips.map(tipInput), ...systemEmails.map((kind) => systemInput(kind, series))].map(
    (input) => emailEntry(scope, input)
  );
  if (cache && !options.overrides) {
    cache.keep([entry, ...emails]);
    if (parsed) void cache.write(entry, content);
  }
  if (options.prepare && !await cache?.hasAll(emails)) await renderer.prepare().catch(() => void 0);
  return { series, tips, pages: content.pages ?? [], renderer, problems: content.problems };
}
function openCache(config) {
  if (config.cacheDir === false) return void 0;
  if (config.cacheDir) return new CompiledCache(config.cacheDir);
  return new CompiledCache(path.join(config.rootDir, ".cache", "compiled"), { within: config.rootDir });
}
function templateProblem(e) {
  if (e instanceof TemplateError)
    return {
      severity: "error",
      check: "template",
      file: e.file,
      ...e.line ? { line: e.line } : {},
      message: e.detail
    };
  return { severity: "error", check: "template", message: e instanceof Error ? e.message : String(e) };
}
export {
  hasErrors,
  loadProject,
  templateProblem
};
//# sourceMappingURL=project.js.map
