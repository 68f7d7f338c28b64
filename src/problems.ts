import type { Problem } from './errors.ts';

/**
 * Findings about the content, the templates or a rendered email. Their shape and formatting sit
 * in `errors.ts` beside the `ProblemsError` that carries them; re-exported here for the checkers.
 */
export { formatProblem, ProblemsError, sortProblems, type Problem, type Severity } from './errors.ts';

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
