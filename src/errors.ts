/**
 * The errors a user can act on, in one module that imports nothing: the CLI matches them with
 * `instanceof` without loading the config (dotenv, luxon, node-cron) or the renderer (MJML).
 * `ProblemsError` lists its problems in its message, so the `Problem` shape and its formatting
 * live here too; `problems.ts` re-exports them.
 */

/** A value in the environment that cannot be used: one line naming the variable and a fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A template that cannot be rendered: which file, which line, and what its tool said. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'TemplateError';
  }
}

/** A `db copy` refused or failed for a reason the operator can act on; the target is left as it was. */
export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyError';
  }
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A finding about the content, the templates or a rendered email. One shape for every
 * checker so `newsletter check`, the preview studio and the tests can list them together.
 */
export interface Problem {
  severity: Severity;
  /** Short id of the check that found it, e.g. `front-matter`, `html-size`. */
  check: string;
  message: string;
  /** Path relative to the project folder, where known. */
  file?: string;
  /** 1-based line in `file`, where known. */
  line?: number;
}

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by file and line, so the most urgent finding is on top. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0),
  );
}

/** `path:line: message`, the form editors' tools and terminals make clickable. */
export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : '';
  const tag = p.severity === 'error' ? '' : `${p.severity}: `;
  return `${where}${tag}${p.message}`;
}

/** Thrown where a caller cannot go on; carries every problem, not just the first. */
export class ProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(sortProblems(problems).map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}
