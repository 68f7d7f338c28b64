// ../../work/wt/h-studio/src/preview/studio.ts
import { randomBytes } from "node:crypto";
import path from "node:path";
import { escapeHtml } from "../content/escape.js";
import { slugFromFileName } from "../content/index.js";
import { listIdFor, senderOf, stableMessageId } from "../mailer/headers.js";
import { DEFAULT_MAX_GRADE } from "../check/editorial.js";
import { checkProject } from "../check/run-checks.js";
import { ProblemsError, sortProblems } from "../problems.js";
import { loadProject, templateProblem } from "../render/project.js";
import { clientSupport } from "../render/client-support.js";
import { checkEmailInSet, checkEmailSet, readingTime } from "../render/email-checks.js";
import {
  systemEmails,
  systemSubjects
} from "../render/index.js";
import { subscriberLinks } from "../subscription/links.js";
import { greetingName } from "../subscription/names.js";
import { sampleReaders } from "./samples.js";
var LAYOUT_FILE = "templates/layout.mjml.hbs";
var systemLabels = { confirm: "Confirmation", welcome: "Welcome", goodbye: "Goodbye" };
var Studio = class {
  constructor(config, now) {
    this.config = config;
    this.now = now;
  }
  config;
  now;
  loaded = { generation: 0, problems: [], fatal: false };
  snapshotRun;
  lastSnapshot;
  knownWeeks = /* @__PURE__ */ new Map();
  previewSecret = randomBytes(32).toString("hex");
  queue = Promise.resolve();
  get generation() {
    return this.loaded.generation;
  }
  /** Reads content and templates again. Serialised: overlapping saves load one after another. */
  reload() {
    const run = this.queue.then(() => this.load());
    this.queue = run.catch(() => void 0);
    return run;
  }
  async load() {
    const generation = this.loaded.generation + 1;
    try {
      const project = await loadProject(this.config, { prepare: true });
      for (const tip of project.tips) this.knownWeeks.set(tip.slug, tip.week);
      this.loaded = { generation, project, problems: project.problems, fatal: false };
    } catch (e) {
      const problems = e instanceof ProblemsError ? e.problems : [templateProblem(e)];
      this.loaded = { generation, problems, fatal: true };
    }
  }
  /** The checks of every email, computed once per generation. */
  snapshot() {
    const generation = this.loaded.generation;
    if (this.snapshotRun?.generation !== generation) {
      const promise = this.computeSnapshot(this.loaded);
      promise.then(
        (s) => {
          if (!this.lastSnapshot || s.generation >= this.lastSnapshot.generation) this.lastSnapshot = s;
        },
        () => void 0
      );
      this.snapshotRun = { generation, promise };
    }
    return this.snapshotRun.promise;
  }
  async computeSnapshot(loaded) {
    const status = /* @__PURE__ */ new Map();
    const project = loaded.project;
    if (!project) return emptySnapshot(loaded.generation);
    const items = [];
    const failed = /* @__PURE__ */ new Map();
    for (const entry of this.entries(project)) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.loaded.generation !== loaded.generation) throw new SupersededError();
      try {
        const finished = await this.finish(project, entry.compile, "long");
        clientSupport(finished.html);
        items.push({ id: entry.id, item: { email: finished, file: entry.file } });
      } catch (e) {
        failed.set(entry.id, [templateProblem(e)]);
      }
    }
    const report = checkEmailSet(
      items.map((i) => i.item),
      { baseUrl: this.config.baseUrl, layoutFile: LAYOUT_FILE }
    );
    const checked = (await checkProject(this.config, this.now())).problems;
    if (this.loaded.generation !== loaded.generation) throw new SupersededError();
    for (const entry of this.entries(project)) status.set(entry.id, count(checkedFor(checked, entry.file)));
    for (const [id, problems] of failed) if (!status.get(id)?.errors) status.set(id, count(problems));
    return { generation: loaded.generation, status, shared: report.shared, checked };
  }
  /** The list, at once; statuses are filled in when this generation's checks are done. */
  list() {
    const { project, problems, fatal, generation } = this.loaded;
    const snapshot = this.lastSnapshot?.generation === generation ? this.lastSnapshot : void 0;
    const emails = [];
    if (project) {
      for (const tip of project.tips) {
        emails.push({
          id: tipId(tip.slug),
          kind: "tip",
          label: `Week ${tip.week}`,
          title: tip.title,
          week: tip.week,
          draft: tip.draft,
          file: tip.file
        });
      }
      for (const broken of this.brokenTips(project)) emails.push(broken);
      emails.sort((a, b) => (a.week ?? Infinity) - (b.week ?? Infinity) || a.file.localeCompare(b.file));
      for (const kind of systemEmails) {
        emails.push({
          id: `system:${kind}`,
          kind: "system",
          label: systemLabels[kind],
          title: systemSubjects(project.series)[kind].subject,
          file: `templates/${kind}.mjml.hbs`
        });
      }
      for (const e of emails) {
        const s = snapshot?.status.get(e.id);
        if (s) e.status = s;
        else if (e.broken) e.status = count(this.fileProblems(e.file));
      }
    }
    return {
      generation,
      seriesName: project?.series.name ?? "Newsletter",
      emails,
      fatal: fatal ? sortProblems(problems) : [],
      checking: Boolean(project) && !snapshot
    };
  }
  /** Tips whose file has errors: they drop out of the project, but the editor is working on them. */
  brokenTips(project) {
    const working = new Set(project.tips.map((t) => t.file));
    const tipsDir = path.relative(this.config.rootDir, path.join(this.config.contentDir, "tips"));
    const files = new Set(
      project.problems.filter(
        (p) => p.severity === "error" && p.file && p.file.startsWith(tipsDir + path.sep) && p.file.endsWith(".md") && !working.has(p.file)
      ).map((p) => p.file)
    );
    return [...files].map((file) => {
      const slug = slugFromFileName(file);
      const week = this.knownWeeks.get(slug) ?? (Number(/^(\d+)/.exec(path.basename(file))?.[1]) || void 0);
      return {
        id: tipId(slug),
        kind: "tip",
        label: week ? `Week ${week}` : "Tip",
        title: path.basename(file),
        ...week ? { week } : {},
        file,
        broken: true
      };
    });
  }
  fileProblems(file) {
    return file ? this.loaded.problems.filter((p) => p.file === file) : [];
  }
  /** One email for one sample reader, or why it cannot be rendered (file, line, message). */
  async email(id, reader) {
    const { project } = this.loaded;
    if (!project)
      return { ok: false, id, label: "Nothing can be rendered", problems: sortProblems(this.loaded.problems) };
    const entry = this.entries(project).find((e) => e.id === id);
    if (!entry) {
      const broken = this.brokenTips(project).find((b) => b.id === id);
      if (broken) return { ok: false, id, label: broken.label, problems: sortProblems(this.fileProblems(broken.file)) };
      return {
        ok: false,
        id,
        label: "Not found",
        problems: [
          {
            severity: "error",
            check: "preview",
            message: `there is no email "${id}" any more: pick one from the list`
          }
        ]
      };
    }
    let finished;
    let compiled;
    try {
      compiled = await entry.compile();
      finished = this.personalise(project, compiled, reader);
    } catch (e) {
      return { ok: false, id, label: entry.label, problems: [templateProblem(e)] };
    }
    const snapshot = this.lastSnapshot ?? await this.snapshot().catch(() => emptySnapshot(this.loaded.generation));
    const support = clientSupport(finished.html);
    const problems = sortProblems([
      ...checkedFor(snapshot.checked, entry.file),
      ...snapshot.checked.filter((p) => p.file === LAYOUT_FILE || !p.file)
    ]);
    const person = sampleReaders[reader];
    const shownName = greetingName(compiled.kind, person.name);
    const to = shownName ? `${shownName} <${person.address}>` : person.address;
    const headers = [
      { name: "From", value: this.from(project) },
      { name: "To", value: to },
      { name: "Subject", value: finished.subject },
      { name: "Preheader", value: finished.preheader }
    ];
    if (compiled.listMail) {
      headers.push({ name: "List-Id", value: listIdFor(project.series.name, this.from(project)) });
      headers.push({ name: "List-Unsubscribe", value: `<${this.links().unsubscribeUrl}>` });
      headers.push({ name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" });
    }
    return {
      ok: true,
      email: {
        id,
        kind: entry.kind,
        label: entry.label,
        title: entry.title,
        subject: finished.subject,
        preheader: finished.preheader,
        headers,
        html: finished.html,
        text: finished.text,
        problems,
        support: { features: support.features, shared: [...snapshot.shared] },
        reading: readingTime(finished.text),
        htmlBytes: Buffer.byteLength(finished.html),
        file: entry.file,
        canSend: true
      }
    };
  }
  /**
   * The email a tip's unsaved text makes (or a page's body), rendered like any other for a sample
   * reader, for the editor's preview; undefined when that text cannot be rendered.
   */
  async draftPreview(overrides, file, reader) {
    let project;
    try {
      project = await loadProject(this.config, { overrides });
    } catch {
      return void 0;
    }
    const maxGrade = project.series.maxReadingGrade ?? DEFAULT_MAX_GRADE;
    const tip = project.tips.find((t) => t.file === file);
    if (tip) {
      const finished = this.personalise(project, await project.renderer.compileTip(tip), reader);
      return {
        html: finished.html,
        subject: finished.subject,
        preheader: finished.preheader,
        bodyHtml: tip.html,
        maxGrade
      };
    }
    const page = project.pages.find((p) => p.file === file);
    if (!page) return void 0;
    const lang = escapeHtml(project.series.locale ?? "en");
    const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:1em auto;padding:0 1em;line-height:1.5"><h1>${escapeHtml(page.title)}</h1>${page.html}</body></html>`;
    return { html, subject: page.title, preheader: "", bodyHtml: page.html, maxGrade };
  }
  /** A message from the dev inbox, checked like a rendered one (its preheader is not known). */
  async inboxView(message) {
    const snapshot = this.lastSnapshot ?? await this.snapshot().catch(() => emptySnapshot(this.loaded.generation));
    const email = { subject: message.subject, preheader: "", html: message.html, text: message.text };
    const support = message.html ? clientSupport(message.html) : { features: [] };
    const problems = message.html ? checkEmailInSet({ email }, snapshot.shared, this.config.baseUrl, support).filter((p) => p.check !== "preheader") : [];
    return {
      id: `inbox:${message.id}`,
      kind: "inbox",
      label: "Dev inbox",
      title: message.subject,
      subject: message.subject,
      preheader: "",
      headers: message.headers,
      html: message.html,
      text: message.text,
      problems: sortProblems(problems),
      support: { features: support.features, shared: [...snapshot.shared] },
      reading: readingTime(message.text),
      htmlBytes: Buffer.byteLength(message.html),
      canSend: false
    };
  }
  /** The selected email as a message to one address, for "Send me a test". */
  async testMessage(id, reader, to) {
    const project = this.loaded.project;
    const entry = project && this.entries(project).find((e) => e.id === id);
    if (!project || !entry) return void 0;
    const compiled = await entry.compile();
    const finished = this.personalise(project, compiled, reader);
    const from = this.from(project);
    return {
      to,
      toName: greetingName(compiled.kind, sampleReaders[reader].name),
      from,
      subject: finished.subject,
      html: finished.html,
      text: finished.text,
      messageId: stableMessageId(["preview", id, this.now().getTime(), randomBytes(4).toString("hex")], from),
      ...compiled.listMail ? { unsubscribeUrl: this.links().unsubscribeUrl, listId: listIdFor(project.series.name, from) } : {},
      headers: {
        "X-Newsletter-Preview": "test send from the preview studio; its links are signed with a throwaway key"
      }
    };
  }
  entries(project) {
    const tips = project.tips.map((tip) => ({
      id: tipId(tip.slug),
      kind: "tip",
      label: `Week ${tip.week}`,
      title: tip.title,
      file: tip.file,
      compile: () => project.renderer.compileTip(tip)
    }));
    const system = systemEmails.map((kind) => ({
      id: `system:${kind}`,
      kind: "system",
      label: systemLabels[kind],
      title: systemSubjects(project.series)[kind].subject,
      file: `templates/${kind}.mjml.hbs`,
      compile: () => project.renderer.compileSystem(kind)
    }));
    return [...tips, ...system];
  }
  async finish(project, compile, reader) {
    return this.personalise(project, await compile(), reader);
  }
  personalise(project, compiled, reader) {
    return project.renderer.personalise(compiled, {
      name: greetingName(compiled.kind, sampleReaders[reader].name),
      ...this.links(compiled.slug)
    });
  }
  links(slug) {
    return subscriberLinks(this.config.baseUrl, this.previewSecret, "preview-reader", this.now(), slug);
  }
  from(project) {
    return senderOf(project.series, this.config.from);
  }
};
var SupersededError = class extends Error {
  constructor() {
    super("superseded by a newer change");
    this.name = "SupersededError";
  }
};
function emptySnapshot(generation) {
  return { generation, status: /* @__PURE__ */ new Map(), shared: /* @__PURE__ */ new Set(), checked: [] };
}
function checkedFor(checked, file) {
  return checked.filter((p) => p.file === file);
}
function tipId(slug) {
  return `tip:${slug}`;
}
function count(problems) {
  return {
    errors: problems.filter((p) => p.severity === "error").length,
    warnings: problems.filter((p) => p.severity === "warning").length,
    infos: problems.filter((p) => p.severity === "info").length
  };
}
export {
  Studio,
  SupersededError,
  checkedFor
};
//# sourceMappingURL=studio.js.map
