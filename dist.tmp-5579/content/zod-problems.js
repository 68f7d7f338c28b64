// ../../work/wt/h-studio/src/content/zod-problems.ts
function pathLabel(path) {
  return path.map((k, i) => typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`).join("");
}
function valueAt(data, path) {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return void 0;
    v = v[key];
  }
  return v;
}
function shown(value) {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const s = JSON.stringify(value);
  return s === void 0 ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
function zodProblems(error, yaml, file, check) {
  return error.issues.map((issue) => {
    const value = valueAt(yaml.data, issue.path);
    const got = value === void 0 ? "" : typeof value === "string" && issue.code === "too_big" ? ` (it has ${[...value].length})` : ` (got ${shown(value)})`;
    const label = issue.path.length ? pathLabel(issue.path) : "front matter";
    return {
      severity: "error",
      check,
      file,
      line: yaml.lineOf(issue.path),
      message: `${label} ${issue.message}${got}`
    };
  });
}
export {
  pathLabel,
  zodProblems
};
//# sourceMappingURL=zod-problems.js.map
