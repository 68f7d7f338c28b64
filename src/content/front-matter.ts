import matter from 'gray-matter';
import type { Problem } from '../problems.ts';
import { closestName, parseYamlSource, type YamlSource } from './yaml-source.ts';

export interface FrontMatterRules {
  /** The fields this kind of file may have; any other is reported with a "did you mean". */
  fields: readonly string[];
  /** What to say when the file does not start with front matter. */
  missing: string;
  /** Example fields for "front matter must be fields like …". */
  example: string;
}

export type SplitFile =
  | { ok: false; problems: Problem[] }
  | {
      ok: true;
      /** Findings so far (unknown fields); the caller goes on and adds its own. */
      problems: Problem[];
      yaml: YamlSource;
      data: Record<string, unknown>;
      markdown: string;
      /** The line of the file the body starts on. */
      bodyLine: number;
    };

/**
 * Splits a Markdown file editors write (a tip, a page) into its front matter and body. gray-matter
 * splits the file; the YAML itself is parsed by `yaml` so every field keeps its line, and every
 * problem names the file and the line.
 */
export function splitFrontMatter(source: string, file: string, rules: FrontMatterRules): SplitFile {
  const problems: Problem[] = [];
  const err = (line: number, message: string, check = 'front-matter') =>
    problems.push({ severity: 'error', check, file, line, message });
  if (!/^---\r?\n/.test(source)) {
    err(1, rules.missing);
    return { ok: false, problems };
  }
  const split = matter(source, { engines: { yaml: () => ({}) } });
  const yaml = parseYamlSource(split.matter.replace(/^\r?\n/, ''), 1);
  const bodyLine = source.slice(0, source.length - split.content.length).split('\n').length;
  if (yaml.syntaxErrors.length) {
    for (const e of yaml.syntaxErrors) err(e.line, `front matter is not valid YAML: ${e.message}`, 'yaml');
    return { ok: false, problems };
  }
  if (yaml.data === null || typeof yaml.data !== 'object' || Array.isArray(yaml.data)) {
    err(2, `front matter must be fields like ${rules.example}`);
    return { ok: false, problems };
  }
  for (const { key, line } of yaml.topLevelKeys()) {
    if (!rules.fields.includes(key)) {
      const hint = closestName(key, rules.fields);
      err(
        line,
        `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${rules.fields.join(', ')}`,
      );
    }
  }
  return { ok: true, problems, yaml, data: yaml.data as Record<string, unknown>, markdown: split.content, bodyLine };
}
