import path from 'node:path';
import Handlebars from 'handlebars';
import { readTemplateFiles, type TemplateFile } from './template-files.ts';
import { MARK_BEGIN, MARK_END } from './template-lines.ts';
import { TemplateError } from './template-error.ts';

export { MARK_BEGIN, MARK_END, mapAssembledLines } from './template-lines.ts';

/**
 * The template folder loaded into its own Handlebars environment, strict (a missing variable is
 * an error, not a blank). Each MJML file's output is wrapped in marker comments so an MJML error
 * on line N of the assembled document can be traced back to a template file and line.
 */
export interface TemplateSet {
  /** Renders the layout around `name.mjml.hbs` to one MJML document, with file markers. */
  mjml(name: string, context: object): string;
  /** Renders `name.txt.hbs` to plain text (no HTML escaping). */
  text(name: string, context: object): string;
  /** Relative path of a template file, for messages. */
  fileOf(name: string, kind: 'mjml' | 'txt'): string;
}

type Compiled = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

export async function loadTemplates(templatesDir: string, rootDir = process.cwd()): Promise<TemplateSet> {
  return compileTemplates(await readTemplateFiles(templatesDir), templatesDir, rootDir);
}

/** The template set of files already read (see `readTemplateFiles`). */
export function compileTemplates(
  files: readonly TemplateFile[],
  templatesDir: string,
  rootDir = process.cwd(),
): TemplateSet {
  const rel = (abs: string) => path.relative(rootDir, abs) || abs;
  const mjmlEnv = Handlebars.create();
  const textEnv = Handlebars.create();
  const top = { mjml: new Map<string, Compiled>(), txt: new Map<string, Compiled>() };
  const fileNames = { mjml: new Map<string, string>(), txt: new Map<string, string>() };

  for (const { abs, text: source } of files) {
    const base = path.basename(abs);
    const match = /^(.+)\.(mjml|txt)\.hbs$/.exec(base);
    if (!match) continue;
    const [, name, kind] = match as unknown as [string, string, 'mjml' | 'txt'];
    const file = rel(abs);
    const env = kind === 'mjml' ? mjmlEnv : textEnv;
    // The markers add no line breaks, so Handlebars' own line numbers stay those of the file;
    // a comment over several lines leaves its line breaks in the output, so MJML's lines do too.
    const wrapped = kind === 'mjml' ? `${MARK_BEGIN(file)}${keepCommentLines(source)}${MARK_END}` : source;
    const fn = annotate(
      env.compile(wrapped, {
        strict: true,
        noEscape: kind === 'txt',
        ignoreStandalone: kind === 'mjml',
        preventIndent: true,
      }),
      file,
    );
    if (path.basename(path.dirname(abs)) === 'partials') env.registerPartial(name, fn as Handlebars.Template);
    else {
      top[kind].set(name, fn);
      fileNames[kind].set(name, file);
    }
  }

  const fileOf = (name: string, kind: 'mjml' | 'txt') =>
    fileNames[kind].get(name) ?? rel(path.join(templatesDir, `${name}.${kind}.hbs`));

  function run(kind: 'mjml' | 'txt', name: string, context: object): string {
    const own = top[kind].get(name);
    if (!own)
      throw new TemplateError(fileOf(name, kind), undefined, 'template is missing: restore it from git or create it');
    if (kind === 'txt') return own(context);
    const layout = top.mjml.get('layout');
    if (!layout)
      throw new TemplateError(fileOf('layout', 'mjml'), undefined, 'template is missing: restore it from git');
    // The layout is the document; the email's own template is inserted as its body partial.
    return layout({ ...context, email: { ...(context as { email?: object }).email, bodyPartial: name } });
  }

  // Body templates of MJML emails are used as the layout's partial `email.bodyPartial`.
  for (const [name, fn] of top.mjml) if (name !== 'layout') mjmlEnv.registerPartial(name, fn as Handlebars.Template);

  return {
    mjml: (name, context) => run('mjml', name, context),
    text: (name, context) => run('txt', name, context),
    fileOf,
  };
}

/** Handlebars errors say the line but not the file; the innermost template adds its file. */
function annotate(fn: Compiled, file: string): Compiled {
  return (context, options) => {
    try {
      return fn(context, options);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const line = /Parse error on line (\d+)/.exec(message)?.[1] ?? / - (\d+):\d+$/.exec(message)?.[1];
      const detail = message
        .replace(/ - \d+:\d+$/, '')
        .replace(/ in \[object Object\]/, '')
        .split('\n')[0]!;
      throw new TemplateError(file, line ? Number(line) : undefined, `Handlebars: ${detail}`);
    }
  };
}

/**
 * A Handlebars comment written over several lines, as an empty comment followed by as many line
 * breaks: the MJML document then has the template's lines, and an MJML error after the comment
 * names the right one (mapAssembledLines counts lines).
 */
export function keepCommentLines(source: string): string {
  return source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (comment) =>
    comment.includes('\n') ? `{{!}}${'\n'.repeat(comment.split('\n').length - 1)}` : comment,
  );
}
