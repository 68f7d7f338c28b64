import type { Config } from '../config.ts';
import type { ContentOverrides } from '../content/files.ts';
import { editorialProblems } from './editorial.ts';
import { urgentWordsOutsideWarnings } from './urgent-words.ts';
import { baseUrlProblems, productionProblems } from './production-gates.ts';
import { loadProject, templateProblem, type Project } from '../render/project.ts';
import { hasErrors, ProblemsError, sortProblems, type Problem } from '../problems.ts';
import { checkEmailSet, type EmailInSet } from '../render/email-checks.ts';
import { systemEmails, type CompiledEmail, type Renderer } from '../render/index.ts';
import { subscriberLinks } from '../subscription/links.ts';
import { sampleMessages } from './sample-messages.ts';
import { scoreMessages, spamProblems, type SpamScore } from './spam.ts';
import { accessibilityProblems } from './accessibility.ts';

export interface CheckReport {
  problems: Problem[];
  tipsChecked: number;
  systemEmailsChecked: number;
  /** With `spam`: SpamAssassin's score of every email as sent (tips, then system emails). */
  spamScores?: SpamScore[];
}

/** A long name, so the size check covers the worst case a real reader can bring. */
const SAMPLE_NAME = 'Maximiliana-Theodora Wolfeschlegelsteinhausenberger-Featherstonehaugh';
/** The checks sign sample links with a throwaway key, never the real one. */
const SAMPLE_SECRET = 'check-sample-secret-not-used-for-real-links-0000';
const LAYOUT_FILE = 'templates/layout.mjml.hbs';

/**
 * Everything `newsletter check` does: settings, every tip (drafts too), every template, and every
 * finished email rendered for a sample reader and checked, its accessibility included
 * (./accessibility.ts). The studio runs this same function.
 */
export interface CheckOptions {
  /** The launch gates (`check --production`); default: NODE_ENV=production. */
  production?: boolean;
  /** Score every email with this `spamassassin` program (`check --spam`); see spam.ts. */
  spam?: { bin: string };
  /** Unsaved text in place of files on disk: the studio checks what an editor is typing. */
  overrides?: ContentOverrides;
  /**
   * Judge each email's client support against caniemail (default: yes). Its findings are all
   * `info`, so the publish rules, which only read errors, leave it out: it is most of the time a
   * `send` with nobody due spent (about 0.5 s a process).
   */
  clientSupport?: boolean;
}

export async function checkProject(config: Config, now: Date, options: CheckOptions = {}): Promise<CheckReport> {
  const production = options.production ?? config.production;
  const gates = production ? baseUrlProblems(config) : [];
  let project;
  try {
    project = await loadProject(config, options.overrides ? { overrides: options.overrides } : {});
  } catch (e) {
    if (e instanceof ProblemsError)
      return { problems: sortProblems([...gates, ...e.problems]), tipsChecked: 0, systemEmailsChecked: 0 };
    throw e;
  }
  const report = await checkLoadedProject(config, project, now, { ...options, production });
  return { ...report, problems: sortProblems(dedupe([...gates, ...report.problems])) };
}

/**
 * The checks of a project already loaded: the one function both `newsletter check` and the
 * publish rules of the site and the sender (check/release-gate.ts) run, so what `check` calls an
 * error is exactly what keeps a tip from going out.
 */
export async function checkLoadedProject(
  config: Config,
  project: Project,
  now: Date,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const problems: Problem[] = [];
  const production = options.production ?? config.production;
  problems.push(...project.problems);
  problems.push(...editorialProblems(project.tips, project.series, now, project.pages, { production }));
  problems.push(...urgentWordsOutsideWarnings(project.tips, project.series));
  if (production) problems.push(...(await productionProblems(config, project.series)));
  const recipientFor = (compiled: CompiledEmail) => ({
    name: SAMPLE_NAME,
    ...subscriberLinks(config.baseUrl, SAMPLE_SECRET, 'sample-reader', now, compiled.slug),
  });

  const rendered: EmailInSet[] = [];
  const render = async (
    file: string,
    label: string,
    compile: (r: Renderer) => Promise<CompiledEmail>,
    draft = false,
  ) => {
    try {
      const compiled = await compile(project.renderer);
      const email = project.renderer.personalise(compiled, recipientFor(compiled));
      rendered.push({ email, file, label });
      // What a reader meets in the email as sent: errors once it goes out, warnings for a draft.
      problems.push(...accessibilityProblems(email.html, { severity: draft ? 'warning' : 'error', file, label }));
      return true;
    } catch (e) {
      problems.push(templateProblem(e));
      return false;
    }
  };
  let tipsChecked = 0;
  for (const tip of project.tips)
    if (await render(tip.file, `week ${tip.week}`, (r) => r.compileTip(tip), tip.draft)) tipsChecked++;
  let systemEmailsChecked = 0;
  for (const kind of systemEmails) {
    if (await render(`templates/${kind}.mjml.hbs`, `${kind} email`, (r) => r.compileSystem(kind)))
      systemEmailsChecked++;
  }
  // Checked together, so what the shared layout does is said once and what one email adds stands out.
  const report = checkEmailSet(rendered, {
    baseUrl: config.baseUrl,
    layoutFile: LAYOUT_FILE,
    clientSupport: options.clientSupport ?? true,
  });
  problems.push(...report.perEmail.flat(), ...report.sharedProblems);
  let spamScores: SpamScore[] | undefined;
  // Only when everything rendered: a broken email is reported above, not scored.
  if (options.spam && !hasErrors(problems.filter((p) => p.check === 'template'))) {
    spamScores = await scoreMessages(await sampleMessages(project, config, now), options.spam.bin);
    problems.push(...spamProblems(spamScores));
  }
  return {
    problems: sortProblems(dedupe(problems)),
    tipsChecked,
    systemEmailsChecked,
    ...(spamScores ? { spamScores } : {}),
  };
}

/** A broken shared template fails every email the same way: say it once. */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.severity}|${p.file}|${p.line}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
