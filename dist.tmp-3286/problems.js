// ../../work/wt/h-studio/src/problems.ts
import { formatProblem, ProblemsError, sortProblems } from "./errors.js";
function hasErrors(problems) {
  return problems.some((p) => p.severity === "error");
}
export {
  ProblemsError,
  formatProblem,
  hasErrors,
  sortProblems
};
//# sourceMappingURL=problems.js.map
