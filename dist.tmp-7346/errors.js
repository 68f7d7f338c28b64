// ../../work/wt/h-studio/src/errors.ts
var ConfigError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
};
var TemplateError = class extends Error {
  constructor(file, line, detail) {
    super(`${file}${line ? `:${line}` : ""}: ${detail}`);
    this.file = file;
    this.line = line;
    this.detail = detail;
    this.name = "TemplateError";
  }
  file;
  line;
  detail;
};
var CopyError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CopyError";
  }
};
var order = { error: 0, warning: 1, info: 2 };
function sortProblems(problems) {
  return [...problems].sort(
    (a, b) => order[a.severity] - order[b.severity] || (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0)
  );
}
function formatProblem(p) {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}` : ""}: ` : "";
  const tag = p.severity === "error" ? "" : `${p.severity}: `;
  return `${where}${tag}${p.message}`;
}
var ProblemsError = class extends Error {
  constructor(problems) {
    super(sortProblems(problems).map(formatProblem).join("\n"));
    this.problems = problems;
    this.name = "ProblemsError";
  }
  problems;
};
export {
  ConfigError,
  CopyError,
  ProblemsError,
  TemplateError,
  formatProblem,
  sortProblems
};
//# sourceMappingURL=errors.js.map
