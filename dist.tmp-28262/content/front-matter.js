// ../../work/wt/h-studio/src/content/front-matter.ts
import matter from "gray-matter";
import { closestName, parseYamlSource } from "./yaml-source.js";
function splitFrontMatter(source, file, rules) {
  const problems = [];
  const err = (line, message, check = "front-matter") => problems.push({ severity: "error", check, file, line, message });
  if (!/^---\r?\n/.test(source)) {
    err(1, rules.missing);
    return { ok: false, problems };
  }
  const split = matter(source, { engines: { yaml: () => ({}) } });
  const yaml = parseYamlSource(split.matter.replace(/^\r?\n/, ""), 1);
  const bodyLine = source.slice(0, source.length - split.content.length).split("\n").length;
  if (yaml.syntaxErrors.length) {
    for (const e of yaml.syntaxErrors) err(e.line, `front matter is not valid YAML: ${e.message}`, "yaml");
    return { ok: false, problems };
  }
  if (yaml.data === null || typeof yaml.data !== "object" || Array.isArray(yaml.data)) {
    err(2, `front matter must be fields like ${rules.example}`);
    return { ok: false, problems };
  }
  for (const { key, line } of yaml.topLevelKeys()) {
    if (!rules.fields.includes(key)) {
      const hint = closestName(key, rules.fields);
      err(
        line,
        `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}; allowed: ${rules.fields.join(", ")}`
      );
    }
  }
  return { ok: true, problems, yaml, data: yaml.data, markdown: split.content, bodyLine };
}
export {
  splitFrontMatter
};
//# sourceMappingURL=front-matter.js.map
