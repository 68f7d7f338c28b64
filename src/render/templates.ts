import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TemplateError } from './template-error.ts';

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

export const MARK_BEGIN = (file: string) => `<!--ncw:b:${file}-->`;
export const MARK_END = '<!--ncw:e-->';

type Compiled = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

export async function loadTemplates(templatesDir: string, rootDir = process.cwd()): Promise<TemplateSet> {
  const rel = (abs: string) => path.relative(rootDir, abs) || abs;
  const files = await listTemplates(templatesDir);
  const mjmlEnv = Handlebars.create();
  const textEnv = Handlebars.create();
  const top = { mjml: new Map<string, Compiled>(), txt: new Map<string, Compiled>() };
  const fileNames = { mjml: new Map<string, string>(), txt: new Map<string, string>() };

  for (const abs of files) {
    const base = path.basename(abs);
    const match = /^(.+)\.(mjml|txt)\.hbs$/.exec(base);
    if (!match) continue;
    const [, name, kind] = match as unknown as [string, string, 'mjml' | 'txt'];
    const file = rel(abs);
    const source = await readFile(abs, 'utf8');
    const env = kind === 'mjml' ? mjmlEnv : textEnv;
    // The markers add no line breaks, so Handlebars' own line numbers stay those of the file.
    const wrapped = kind === 'mjml' ? `${MARK_BEGIN(file)}${source}${MARK_END}` : source;
    const fn = annotate(
      env.compile(wrapped, { strict: true, noEscape: kind === 'txt', ignoreStandalone: kind === 'mjml', preventIndent: true }),
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
    if (!own) throw new TemplateError(fileOf(name, kind), undefined, 'template is missing: restore it from git or create it');
    if (kind === 'txt') return own(context);
    const layout = top.mjml.get('layout');
    if (!layout) throw new TemplateError(fileOf('layout', 'mjml'), undefined, 'template is missing: restore it from git');
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

async function listTemplates(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name === 'partials') out.push(...(await listTemplates(abs)));
    else if (entry.isFile() && entry.name.endsWith('.hbs')) out.push(abs);
  }
  return out.sort();
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

/** Maps each line of an assembled MJML document to the template file and line it came from. */
export function mapAssembledLines(assembled: string): { file: string; line: number }[] {
  const token = /<!--ncw:b:(.*?)-->|<!--ncw:e-->/g;
  const stack: { file: string; line: number }[] = [];
  const out: { file: string; line: number }[] = [];
  for (const text of assembled.split('\n')) {
    const leading = /^(\s*(<!--ncw:b:.*?-->|<!--ncw:e-->))*/.exec(text)?.[0] ?? '';
    let recorded = false;
    token.lastIndex = 0;
    for (let m = token.exec(text); m; m = token.exec(text)) {
      if (!recorded && m.index >= leading.length) {
        out.push({ ...(stack[stack.length - 1] ?? { file: '?', line: 0 }) });
        recorded = true;
      }
      if (m[1] !== undefined) stack.push({ file: m[1], line: 1 });
      else stack.pop();
    }
    if (!recorded) out.push({ ...(stack[stack.length - 1] ?? { file: '?', line: 0 }) });
    const current = stack[stack.length - 1];
    if (current) current.line++;
  }
  return out;
}
