import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import { escapeHtml } from '../content/escape.ts';
import type { ContentOverrides } from '../content/files.ts';
import { slugFromFileName, type Tip } from '../content/index.ts';
import { listIdFor, senderOf, stableMessageId } from '../mailer/headers.ts';
import type { OutgoingMessage } from '../mailer/mailer.ts';
import { DEFAULT_MAX_GRADE } from '../check/editorial.ts';
import { checkProject } from '../check/run-checks.ts';
import { ProblemsError, sortProblems, type Problem } from '../problems.ts';
import { loadProject, templateProblem, type Project } from '../render/project.ts';
import { clientSupport, type FeatureSupport } from '../render/client-support.ts';
import { checkEmailInSet, checkEmailSet, readingTime, type EmailInSet } from '../render/email-checks.ts';
import {
  systemEmails,
  systemSubjects,
  type CompiledEmail,
  type FinishedEmail,
  type SystemEmail,
} from '../render/index.ts';
import { subscriberLinks } from '../subscription/links.ts';
import { greetingName } from '../subscription/names.ts';
import type { HeaderLine, InboxMessage } from './inbox.ts';

export type { HeaderLine };
import { sampleReaders, type SampleReaderId } from './samples.ts';

/** What the list shows of one email. */
export interface EmailListItem {
  /** `tip:<slug>` or `system:<kind>`: stable while an editor edits, so the selection survives. */
  id: string;
  kind: 'tip' | 'system';
  label: string;
  title: string;
  week?: number;
  draft?: boolean;
  file: string;
  /** The tip's file has errors, so it cannot be rendered now. */
  broken?: boolean;
  /** Counts of findings (for the long-name reader, the worst case); absent while checks run. */
  status?: { errors: number; warnings: number; infos: number };
}

export interface StudioList {
  generation: number;
  seriesName: string;
  emails: EmailListItem[];
  /** Problems that stop everything (broken series.yml or templates folder). */
  fatal: Problem[];
  /** Whether the list's statuses are still being computed for this generation. */
  checking: boolean;
}

/** One email as the studio's views show it: rendered tips and system emails, and inbox messages. */
export interface EmailView {
  id: string;
  kind: 'tip' | 'system' | 'inbox';
  label: string;
  title: string;
  subject: string;
  preheader: string;
  headers: HeaderLine[];
  html: string;
  text: string;
  problems: Problem[];
  support: { features: FeatureSupport[]; shared: string[] };
  reading: { words: number; minutes: number };
  htmlBytes: number;
  /** The file editors change to change this email. */
  file?: string;
  canSend: boolean;
}

export interface DraftPreview {
  html: string;
  subject: string;
  preheader: string;
  /** The body alone, as HTML: what the word count and reading grade are measured on. */
  bodyHtml: string;
  /** The series' reading-grade limit the check applies. */
  maxGrade: number;
}

export type EmailResult =
  { ok: true; email: EmailView } | { ok: false; id: string; label: string; problems: Problem[] };

interface Snapshot {
  generation: number;
  status: Map<string, NonNullable<EmailListItem['status']>>;
  /** Features of the shared layout (for the client-support table). */
  shared: Set<string>;
  /** Every finding of `newsletter check` (the same function), for the badges and checks tab. */
  checked: Problem[];
}

interface Loaded {
  generation: number;
  project?: Project;
  /** Load problems: every problem when the project could not load at all. */
  problems: Problem[];
  fatal: boolean;
}

const LAYOUT_FILE = 'templates/layout.mjml.hbs';
const systemLabels: Record<SystemEmail, string> = { confirm: 'Confirmation', welcome: 'Welcome', goodbye: 'Goodbye' };

/**
 * The studio's model: the project as last loaded, every email rendered on demand through the
 * same renderer `newsletter send` uses, for sample readers whose links are signed with a
 * throwaway key made at start (never the real secret: a preview link must not work on the site).
 */
export class Studio {
  private loaded: Loaded = { generation: 0, problems: [], fatal: false };
  private snapshotRun?: { generation: number; promise: Promise<Snapshot> };
  private lastSnapshot?: Snapshot;
  private readonly knownWeeks = new Map<string, number>();
  private readonly previewSecret = randomBytes(32).toString('hex');
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly config: Config,
    private readonly now: () => Date,
  ) {}

  get generation(): number {
    return this.loaded.generation;
  }

  /** Reads content and templates again. Serialised: overlapping saves load one after another. */
  reload(): Promise<void> {
    const run = this.queue.then(() => this.load());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<void> {
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
  snapshot(): Promise<Snapshot> {
    const generation = this.loaded.generation;
    if (this.snapshotRun?.generation !== generation) {
      const promise = this.computeSnapshot(this.loaded);
      promise.then(
        (s) => {
          if (!this.lastSnapshot || s.generation >= this.lastSnapshot.generation) this.lastSnapshot = s;
        },
        () => undefined,
      );
      this.snapshotRun = { generation, promise };
    }
    return this.snapshotRun.promise;
  }

  private async computeSnapshot(loaded: Loaded): Promise<Snapshot> {
    const status = new Map<string, NonNullable<EmailListItem['status']>>();
    const project = loaded.project;
    if (!project) return emptySnapshot(loaded.generation);
    const items: { id: string; item: EmailInSet }[] = [];
    const failed = new Map<string, Problem[]>();
    for (const entry of this.entries(project)) {
      // Let requests in between emails: the page's own email must not wait for all of them.
      await new Promise((resolve) => setImmediate(resolve));
      // A save arrived meanwhile: these results would be stale, and the reload must not queue
      // behind them.
      if (this.loaded.generation !== loaded.generation) throw new SupersededError();
      try {
        const finished = await this.finish(project, entry.compile, 'long');
        // The slow part, one email at a time (cached), so checkEmailSet below does not block.
        clientSupport(finished.html);
        items.push({ id: entry.id, item: { email: finished, file: entry.file } });
      } catch (e) {
        failed.set(entry.id, [templateProblem(e)]);
      }
    }
    const report = checkEmailSet(
      items.map((i) => i.item),
      { baseUrl: this.config.baseUrl, layoutFile: LAYOUT_FILE },
    );
    // Badges count exactly what `newsletter check` reports for the email's file: one function,
    // so a draft it flags, or a tip with writing-rule errors, is never badged "ok" here.
    // The emails just rendered reach the disk cache first, so check's own load finds them there
    // and does not compile them again while an editor's page waits for its email.
    await project.renderer.settled();
    if (this.loaded.generation !== loaded.generation) throw new SupersededError();
    const checked = (await checkProject(this.config, this.now())).problems;
    if (this.loaded.generation !== loaded.generation) throw new SupersededError();
    for (const entry of this.entries(project)) status.set(entry.id, count(checkedFor(checked, entry.file)));
    for (const [id, problems] of failed) if (!status.get(id)?.errors) status.set(id, count(problems));
    return { generation: loaded.generation, status, shared: report.shared, checked };
  }

  /** The list, at once; statuses are filled in when this generation's checks are done. */
  list(): StudioList {
    const { project, problems, fatal, generation } = this.loaded;
    const snapshot = this.lastSnapshot?.generation === generation ? this.lastSnapshot : undefined;
    const emails: EmailListItem[] = [];
    if (project) {
      for (const tip of project.tips) {
        emails.push({
          id: tipId(tip.slug),
          kind: 'tip',
          label: `Week ${tip.week}`,
          title: tip.title,
          week: tip.week,
          draft: tip.draft,
          file: tip.file,
        });
      }
      for (const broken of this.brokenTips(project)) emails.push(broken);
      emails.sort((a, b) => (a.week ?? Infinity) - (b.week ?? Infinity) || a.file.localeCompare(b.file));
      for (const kind of systemEmails) {
        emails.push({
          id: `system:${kind}`,
          kind: 'system',
          label: systemLabels[kind],
          title: systemSubjects(project.series)[kind].subject,
          file: `templates/${kind}.mjml.hbs`,
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
      seriesName: project?.series.name ?? 'Newsletter',
      emails,
      fatal: fatal ? sortProblems(problems) : [],
      checking: Boolean(project) && !snapshot,
    };
  }

  /** Tips whose file has errors: they drop out of the project, but the editor is working on them. */
  private brokenTips(project: Project): EmailListItem[] {
    const working = new Set(project.tips.map((t) => t.file));
    const tipsDir = path.relative(this.config.rootDir, path.join(this.config.contentDir, 'tips'));
    const files = new Set(
      project.problems
        .filter(
          (p) =>
            p.severity === 'error' &&
            p.file &&
            p.file.startsWith(tipsDir + path.sep) &&
            p.file.endsWith('.md') &&
            !working.has(p.file),
        )
        .map((p) => p.file!),
    );
    return [...files].map((file) => {
      const slug = slugFromFileName(file);
      const week = this.knownWeeks.get(slug) ?? (Number(/^(\d+)/.exec(path.basename(file))?.[1]) || undefined);
      return {
        id: tipId(slug),
        kind: 'tip' as const,
        label: week ? `Week ${week}` : 'Tip',
        title: path.basename(file),
        ...(week ? { week } : {}),
        file,
        broken: true,
      };
    });
  }

  private fileProblems(file: string | undefined): Problem[] {
    return file ? this.loaded.problems.filter((p) => p.file === file) : [];
  }

  /** One email for one sample reader, or why it cannot be rendered (file, line, message). */
  async email(id: string, reader: SampleReaderId): Promise<EmailResult> {
    const { project } = this.loaded;
    if (!project)
      return { ok: false, id, label: 'Nothing can be rendered', problems: sortProblems(this.loaded.problems) };
    const entry = this.entries(project).find((e) => e.id === id);
    if (!entry) {
      const broken = this.brokenTips(project).find((b) => b.id === id);
      if (broken) return { ok: false, id, label: broken.label, problems: sortProblems(this.fileProblems(broken.file)) };
      return {
        ok: false,
        id,
        label: 'Not found',
        problems: [
          {
            severity: 'error',
            check: 'preview',
            message: `there is no email "${id}" any more: pick one from the list`,
          },
        ],
      };
    }
    let finished: FinishedEmail;
    let compiled: CompiledEmail;
    try {
      compiled = await entry.compile();
      finished = this.personalise(project, compiled, reader);
    } catch (e) {
      return { ok: false, id, label: entry.label, problems: [templateProblem(e)] };
    }
    // The shared layout's features rarely change: use the last finished checks rather than wait.
    const snapshot = this.lastSnapshot ?? (await this.snapshot().catch(() => emptySnapshot(this.loaded.generation)));
    const support = clientSupport(finished.html);
    // The checks tab shows what `newsletter check` said of this file (and of the shared layout).
    const problems = sortProblems([
      ...checkedFor(snapshot.checked, entry.file),
      ...snapshot.checked.filter((p) => p.file === LAYOUT_FILE || !p.file),
    ]);
    const person = sampleReaders[reader];
    const shownName = greetingName(compiled.kind, person.name);
    const to = shownName ? `${shownName} <${person.address}>` : person.address;
    const headers: HeaderLine[] = [
      { name: 'From', value: this.from(project) },
      { name: 'To', value: to },
      { name: 'Subject', value: finished.subject },
      { name: 'Preheader', value: finished.preheader },
    ];
    if (compiled.listMail) {
      headers.push({ name: 'List-Id', value: listIdFor(project.series.name, this.from(project)) });
      headers.push({ name: 'List-Unsubscribe', value: `<${this.links().unsubscribeUrl}>` });
      headers.push({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
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
        canSend: true,
      },
    };
  }

  /**
   * The email a tip's unsaved text makes (or a page's body), rendered like any other for a sample
   * reader, for the editor's preview; undefined when that text cannot be rendered.
   */
  async draftPreview(
    overrides: ContentOverrides,
    file: string,
    reader: SampleReaderId,
  ): Promise<DraftPreview | undefined> {
    let project: Project;
    try {
      project = await loadProject(this.config, { overrides });
    } catch {
      return undefined;
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
        maxGrade,
      };
    }
    const page = project.pages.find((p) => p.file === file);
    if (!page) return undefined;
    const lang = escapeHtml(project.series.locale ?? 'en');
    const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:1em auto;padding:0 1em;line-height:1.5"><h1>${escapeHtml(page.title)}</h1>${page.html}</body></html>`;
    return { html, subject: page.title, preheader: '', bodyHtml: page.html, maxGrade };
  }

  /** A message from the dev inbox, checked like a rendered one (its preheader is not known). */
  async inboxView(message: InboxMessage): Promise<EmailView> {
    const snapshot = this.lastSnapshot ?? (await this.snapshot().catch(() => emptySnapshot(this.loaded.generation)));
    const email = { subject: message.subject, preheader: '', html: message.html, text: message.text };
    const support = message.html ? clientSupport(message.html) : { features: [] };
    const problems = message.html
      ? checkEmailInSet({ email }, snapshot.shared, this.config.baseUrl, support).filter((p) => p.check !== 'preheader')
      : [];
    return {
      id: `inbox:${message.id}`,
      kind: 'inbox',
      label: 'Dev inbox',
      title: message.subject,
      subject: message.subject,
      preheader: '',
      headers: message.headers,
      html: message.html,
      text: message.text,
      problems: sortProblems(problems),
      support: { features: support.features, shared: [...snapshot.shared] },
      reading: readingTime(message.text),
      htmlBytes: Buffer.byteLength(message.html),
      canSend: false,
    };
  }

  /** The selected email as a message to one address, for "Send me a test". */
  async testMessage(id: string, reader: SampleReaderId, to: string): Promise<OutgoingMessage | undefined> {
    const project = this.loaded.project;
    const entry = project && this.entries(project).find((e) => e.id === id);
    if (!project || !entry) return undefined;
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
      messageId: stableMessageId(['preview', id, this.now().getTime(), randomBytes(4).toString('hex')], from),
      ...(compiled.listMail
        ? { unsubscribeUrl: this.links().unsubscribeUrl, listId: listIdFor(project.series.name, from) }
        : {}),
      headers: {
        'X-Newsletter-Preview': 'test send from the preview studio; its links are signed with a throwaway key',
      },
    };
  }

  private entries(project: Project) {
    const tips = project.tips.map((tip: Tip) => ({
      id: tipId(tip.slug),
      kind: 'tip' as const,
      label: `Week ${tip.week}`,
      title: tip.title,
      file: tip.file,
      compile: () => project.renderer.compileTip(tip),
    }));
    const system = systemEmails.map((kind) => ({
      id: `system:${kind}`,
      kind: 'system' as const,
      label: systemLabels[kind],
      title: systemSubjects(project.series)[kind].subject,
      file: `templates/${kind}.mjml.hbs`,
      compile: () => project.renderer.compileSystem(kind),
    }));
    return [...tips, ...system];
  }

  private async finish(
    project: Project,
    compile: () => Promise<CompiledEmail>,
    reader: SampleReaderId,
  ): Promise<FinishedEmail> {
    return this.personalise(project, await compile(), reader);
  }

  private personalise(project: Project, compiled: CompiledEmail, reader: SampleReaderId): FinishedEmail {
    return project.renderer.personalise(compiled, {
      name: greetingName(compiled.kind, sampleReaders[reader].name),
      ...this.links(compiled.slug),
    });
  }

  private links(slug?: string) {
    return subscriberLinks(this.config.baseUrl, this.previewSecret, 'preview-reader', this.now(), slug);
  }

  private from(project: Project): string {
    return senderOf(project.series, this.config.from);
  }
}

/** The checks of a generation that a newer save replaced before they finished. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer change');
    this.name = 'SupersededError';
  }
}

function emptySnapshot(generation: number): Snapshot {
  return { generation, status: new Map(), shared: new Set(), checked: [] };
}

/** `check`'s findings that belong to one file: its own, plus the shared layout's (said once by check). */
export function checkedFor(checked: readonly Problem[], file: string): Problem[] {
  return checked.filter((p) => p.file === file);
}

function tipId(slug: string): string {
  return `tip:${slug}`;
}

function count(problems: readonly Problem[]): NonNullable<EmailListItem['status']> {
  return {
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    infos: problems.filter((p) => p.severity === 'info').length,
  };
}
