// ../../work/wt/h-studio/src/render/templates.ts
import path from "node:path";
import Handlebars from "handlebars";
import { readTemplateFiles } from "./template-files.js";
import { MARK_BEGIN, MARK_END } from "./template-lines.js";
import { TemplateError } from "./template-error.js";
import { MARK_BEGIN as MARK_BEGIN2, MARK_END as MARK_END2, mapAssembledLines } from "./template-lines.js";
async function loadTemplates(templatesDir, rootDir = process.cwd()) {
  return compileTemplates(await readTemplateFiles(templatesDir), templatesDir, rootDir);
}
function compileTemplates(files, templatesDir, rootDir = process.cwd()) {
  const rel = (abs) => path.relative(rootDir, abs) || abs;
  const mjmlEnv = Handlebars.create();
  const textEnv = Handlebars.create();
  const top = { mjml: /* @__PURE__ */ new Map(), txt: /* @__PURE__ */ new Map() };
  const fileNames = { mjml: /* @__PURE__ */ new Map(), txt: /* @__PURE__ */ new Map() };
  for (const { abs, text: source } of files) {
    const base = path.basename(abs);
    const match = /^(.+)\.(mjml|txt)\.hbs$/.exec(base);
    if (!match) continue;
    const [, name, kind] = match;
    const file = rel(abs);
    const env = kind === "mjml" ? mjmlEnv : textEnv;
    const wrapped = kind === "mjml" ? `${MARK_BEGIN(file)}${source}${MARK_END}` : source;
    const fn = annotate(
      env.compile(wrapped, {
        strict: true,
        noEscape: kind === "txt",
        ignoreStandalone: kind === "mjml",
        preventIndent: true
      }),
      file
    );
    if (path.basename(path.dirname(abs)) === "partials") env.registerPartial(name, fn);
    else {
      top[kind].set(name, fn);
      fileNames[kind].set(name, file);
    }
  }
  const fileOf = (name, kind) => fileNames[kind].get(name) ?? rel(path.join(templatesDir, `${name}.${kind}.hbs`));
  function run(kind, name, context) {
    const own = top[kind].get(name);
    if (!own)
      throw new TemplateError(fileOf(name, kind), void 0, "template is missing: restore it from git or create it");
    if (kind === "txt") return own(context);
    const layout = top.mjml.get("layout");
    if (!layout)
      throw new TemplateError(fileOf("layout", "mjml"), void 0, "template is missing: restore it from git");
    return layout({ ...context, email: { ...context.email, bodyPartial: name } });
  }
  for (const [name, fn] of top.mjml) if (name !== "layout") mjmlEnv.registerPartial(name, fn);
  return {
    mjml: (name, context) => run("mjml", name, context),
    text: (name, context) => run("txt", name, context),
    fileOf
  };
}
function annotate(fn, file) {
  return (context, options) => {
    try {
      return fn(context, options);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const line = /Parse error on line (\d+)/.exec(message)?.[1] ?? / - (\d+):\d+$/.exec(message)?.[1];
      const detail = message.replace(/ - \d+:\d+$/, "").replace(/ in \[object Object\]/, "").split("\n")[0];
      throw new TemplateError(file, line ? Number(line) : void 0, `Handlebars: ${detail}`);
    }
  };
}
export {
  MARK_BEGIN2 as MARK_BEGIN,
  MARK_END2 as MARK_END,
  compileTemplates,
  loadTemplates,
  mapAssembledLines
};
//# sourceMappingURL=templates.js.map
