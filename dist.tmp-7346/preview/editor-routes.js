// ../../work/wt/h-studio/src/preview/editor-routes.ts
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkProject } from "../check/run-checks.js";
import { bodyText, countWords, readingGrade } from "../check/editorial.js";
import {
  bodyStartLine,
  editFile,
  fieldAtLine,
  readFields,
  splitText
} from "../content/front-matter-edit.js";
import { pageFields } from "../content/pages.js";
import { scaffoldTip } from "../content/scaffold.js";
import { tipFields } from "../content/tip-schema.js";
import { formatProblem } from "../problems.js";
import { resolveEditable } from "./editable-file.js";
import { editorPage } from "./editor-page.js";
import { lineDiff } from "./line-diff.js";
import { isSampleReader } from "./samples.js";
import { allowWrite } from "./write-guard.js";
var fieldsOf = (kind) => kind === "tip" ? tipFields : pageFields;
function registerEditorRoutes(app, deps) {
  const { studio, token, now } = deps;
  const { rootDir, contentDir } = studio.config;
  const resolve = (file) => resolveEditable(rootDir, contentDir, file);
  app.get(
    "/edit",
    async (_request, reply) => reply.type("text/html; charset=utf-8").send(editorPage(studio.list().seriesName, token))
  );
  app.get("/api/editable", async () => ({ files: await editableFiles(contentDir, rootDir) }));
  app.get("/api/file", async (request, reply) => {
    const found = await resolve(request.query.file);
    if (!found.ok) return reply.code(400).send(found);
    const text = await readFile(found.abs, "utf8").catch(() => void 0);
    if (text === void 0) return reply.code(404).send({ ok: false, error: `${found.rel} is not there any more` });
    const split = splitText(text);
    const values = split ? readFields(split.yaml) : void 0;
    return {
      ok: true,
      file: found.rel,
      kind: found.kind,
      text,
      fields: fieldsOf(found.kind),
      body: split?.body ?? text,
      values: values?.ok ? values.values : {},
      // Shown instead of the form: the file must be mended in a text editor first.
      error: !split ? "this file does not start with front matter between --- lines" : values && !values.ok ? `the front matter is not valid YAML: ${values.error}` : void 0,
      today: now().toISOString().slice(0, 10)
    };
  });
  app.post("/api/new-tip", async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const title = typeof request.body?.title === "string" ? request.body.title : "";
    const made = await scaffoldTip(path.join(contentDir, "tips"), title);
    if (!made.ok) return reply.code(400).send(made);
    await studio.reload();
    return { ok: true, file: path.relative(rootDir, made.file).split(path.sep).join("/") };
  });
  let checking = Promise.resolve();
  app.post("/api/draft", async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const edit = await composed(request.body);
    if (!edit.ok) return reply.code(400).send(edit);
    const reader = isSampleReader(request.body.reader) ? request.body.reader : "first";
    const run = checking.then(() => draftReport(studio, edit.rel, edit.text, reader, now()));
    checking = run.catch(() => void 0);
    return { ok: true, text: edit.text, ...await run };
  });
  app.post("/api/save", async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const edit = await composed(request.body);
    if (!edit.ok) return reply.code(400).send(edit);
    const disk = await readFile(edit.abs, "utf8").catch(() => void 0);
    if (disk === void 0) return reply.code(404).send({ ok: false, error: `${edit.rel} is not there any more` });
    if (disk !== edit.base) return reply.code(409).send({ ok: false, conflict: true, disk, mine: edit.text });
    if (request.body.confirm !== true) return { ok: true, saved: false, diff: lineDiff(disk, edit.text) };
    await writeAtomically(edit.abs, edit.text);
    await studio.reload();
    return { ok: true, saved: true, text: edit.text };
  });
  async function composed(body) {
    const found = await resolve(body?.file);
    if (!found.ok) return found;
    if (typeof body?.base !== "string" || typeof body.body !== "string" || !isRecord(body.values))
      return { ok: false, error: "send {file, base, values, body}" };
    const edited = editFile(body.base, body.values, body.body, fieldsOf(found.kind));
    if (!edited.ok) return edited;
    return { ok: true, rel: found.rel, abs: found.abs, base: body.base, text: edited.text };
  }
}
async function draftReport(studio, rel, text, reader, now) {
  const overrides = /* @__PURE__ */ new Map([[rel, text]]);
  const report = await checkProject(studio.config, now, { overrides });
  const start = bodyStartLine(text);
  const problems = report.problems.filter((p) => p.file === rel).map((found) => {
    const p = { ...found, cli: formatProblem(found) };
    if (!p.line) return p;
    if (p.line >= start) return { ...p, bodyLine: p.line - start + 1 };
    const field = fieldAtLine(text, p.line);
    return field ? { ...p, field } : p;
  });
  const preview = await studio.draftPreview(overrides, rel, reader).catch(() => void 0);
  const plain = preview ? bodyText(preview.bodyHtml) : "";
  return {
    problems,
    preview: preview ? { html: preview.html, subject: preview.subject, preheader: preview.preheader } : void 0,
    words: countWords(plain),
    grade: Math.round(readingGrade(plain) * 10) / 10,
    maxGrade: preview?.maxGrade
  };
}
async function writeAtomically(abs, text) {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, { flag: "wx" });
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
async function editableFiles(contentDir, rootDir) {
  const out = [];
  for (const [folder, kind] of [
    ["tips", "tip"],
    ["pages", "page"]
  ]) {
    const names = await readdir(path.join(contentDir, folder)).catch(() => []);
    for (const name of names.filter((n) => n.endsWith(".md")).sort())
      out.push({
        file: path.relative(rootDir, path.join(contentDir, folder, name)).split(path.sep).join("/"),
        kind
      });
  }
  return out;
}
var isRecord = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
export {
  registerEditorRoutes
};
//# sourceMappingURL=editor-routes.js.map
