// ../../work/wt/h-studio/src/cli/render.ts
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { findTip } from "../content/index.js";
import { systemEmails } from "../render/index.js";
import { subscriberLinks } from "../subscription/links.js";
import { greetingName } from "../subscription/names.js";
import { UsageError } from "./command.js";
import { readerFor } from "./reader-for.js";
import { linksUse } from "./links-note.js";
import { withApp } from "./with-app.js";
var render = {
  usage: [
    "newsletter render <week|slug|confirm|welcome|goodbye> [--text] [--email ADDRESS] [--name NAME]",
    "newsletter render --all [--out DIR] [--email ADDRESS] [--name NAME]",
    "",
    "Prints the email as that reader would get it. Drafts render too.",
    "  --all            write every email, HTML and text, into --out (default: rendered/):",
    "                   WEEK-SLUG.html and .txt for tips, confirm.html and .txt and so on",
    "  --text           print the plain-text part instead of the HTML",
    "  --email ADDRESS  render for this subscriber: their name and their signed links",
    "  --name NAME      the first name to greet (default: the subscriber's, or none)"
  ].join("\n"),
  options: {
    text: { type: "boolean" },
    email: { type: "string" },
    name: { type: "string" },
    all: { type: "boolean" },
    out: { type: "string" }
  },
  positionals: { min: 0, max: 1 },
  run: ({ values, positionals }, io) => withApp(io, async (app) => {
    if (values.all ? positionals.length > 0 : positionals.length !== 1)
      throw new UsageError(
        values.all ? "--all renders every email: leave out the week or slug" : "missing the week, slug or system email to render"
      );
    if (!values.all && values.out !== void 0) throw new UsageError("--out goes with --all");
    const project = await app.project();
    const reader = await readerFor(app, typeof values.email === "string" ? values.email : "reader@example.org");
    const name = typeof values.name === "string" ? values.name : reader.name;
    const recipientFor = (compiled2) => ({
      name: greetingName(compiled2.kind, name),
      ...subscriberLinks(app.config.baseUrl, app.secret, reader.publicId, io.now(), compiled2.slug)
    });
    if (values.all) {
      const dir = path.resolve(io.cwd, typeof values.out === "string" ? values.out : "rendered");
      await mkdir(dir, { recursive: true });
      const emails = [
        ...[...project.tips].sort((a, b) => a.week - b.week).map((t) => ({
          name: `${String(t.week).padStart(2, "0")}-${t.slug}`,
          compiled: () => project.renderer.compileTip(t)
        })),
        ...systemEmails.map((kind) => ({ name: kind, compiled: () => project.renderer.compileSystem(kind) }))
      ];
      for (const e of emails) {
        const compiled2 = await e.compiled();
        const finished2 = project.renderer.personalise(compiled2, recipientFor(compiled2));
        await writeFile(path.join(dir, `${e.name}.html`), finished2.html);
        await writeFile(path.join(dir, `${e.name}.txt`), finished2.text);
      }
      io.out(
        `wrote ${emails.length} emails (HTML and text) to ${path.relative(io.cwd, dir) || "."}; ${linksUse(app.config)}`
      );
      return 0;
    }
    const ref = positionals[0];
    const isSystem = systemEmails.includes(ref);
    const tip = isSystem ? void 0 : findTip(project.tips, ref);
    if (!isSystem && !tip) {
      const known = project.tips.map((t) => `${t.week} (${t.slug})`).join(", ");
      throw new UsageError(`no tip "${ref}"; known: ${known || "none"}, or confirm, welcome, goodbye`);
    }
    const compiled = tip ? await project.renderer.compileTip(tip) : await project.renderer.compileSystem(ref);
    const finished = project.renderer.personalise(compiled, recipientFor(compiled));
    io.out(values.text ? finished.text : finished.html);
    return 0;
  })
};
var render_default = render;
export {
  render_default as default
};
//# sourceMappingURL=render.js.map
