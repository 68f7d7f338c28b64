import type { z } from 'zod';
import type { Problem } from '../problems.ts';
import type { YamlSource } from './yaml-source.ts';

/** `sources[1].url` from `['sources', 1, 'url']`. */
export function pathLabel(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function shown(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Turns zod's issues into `file:line: field message (got value)` problems, the line found
 * from the YAML positions.
 */
export function zodProblems(error: z.ZodError, yaml: YamlSource, file: string, check: string): Problem[] {
  return error.issues.map((issue) => {
    const value = valueAt(yaml.data, issue.path);
    const got =
      value === undefined
        ? ''
        : typeof value === 'string' && issue.code === 'too_big'
          ? ` (it has ${[...value].length})`
          : ` (got ${shown(value)})`;
    const label = issue.path.length ? pathLabel(issue.path) : 'front matter';
    return {
      severity: 'error',
      check,
      file,
      line: yaml.lineOf(issue.path),
      message: `${label} ${issue.message}${got}`,
    };
  });
}
