import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

/**
 * Field-by-field edits of a Markdown file's front matter, for the studio's form. Only the lines of
 * a field whose value changed are rewritten; every other line (order, comments, quoting, blank
 * lines) stays byte for byte, so a saved file reads like one `newsletter new` wrote and a diff
 * shows only what the editor changed. Values are written the way `newsletter new` writes them:
 * text double-quoted, numbers, booleans and dates plain, sources as `- title:`/`url:` rows.
 */

export type FieldValue = string | number | boolean | null | readonly { title: string; url: string }[];
export type FieldValues = Readonly<Record<string, FieldValue | undefined>>;

export interface SplitText {
  /** The YAML between the `---` lines (no trailing newline). */
  yaml: string;
  /** Everything after the closing `---` line. */
  body: string;
  /** The line ending the file uses. */
  eol: string;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|$)/m;

/** The front matter and body of a file, or undefined when it does not start with `---` front matter. */
export function splitText(text: string): SplitText | undefined {
  if (!/^---[ \t]*\r?\n/.test(text)) return undefined;
  const m = FENCE.exec(text);
  if (!m || m.index !== 0) return undefined;
  return { yaml: m[1] ?? '', body: text.slice(m[0].length), eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The front matter's top-level values as plain data (dates as `YYYY-MM-DD`), or the YAML error. */
export function readFields(
  yaml: string,
): { ok: true; values: Record<string, FieldValue> } | { ok: false; error: string } {
  const doc = parseDocument(yaml, { uniqueKeys: true });
  if (doc.errors.length) return { ok: false, error: doc.errors[0]!.message.split('\n')[0]! };
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { ok: true, values: {} };
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, error: 'front matter must be fields' };
  const values: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) values[k] = plain(v);
  return { ok: true, values };
}

function plain(v: unknown): FieldValue {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v === undefined) return null;
  if (Array.isArray(v))
    return v.map((s: unknown) => {
      const o = (s ?? {}) as Record<string, unknown>;
      return { title: String(o.title ?? ''), url: String(o.url ?? '') };
    });
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return v as string | number | boolean | null;
}

interface FieldSpan {
  key: string;
  /** 0-based first and last line of the field in the YAML text. */
  first: number;
  last: number;
}

/** Where each top-level field sits, by line (0-based, within the YAML text). */
export function fieldSpans(yaml: string): FieldSpan[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, keepSourceTokens: false });
  if (!isMap(doc.contents)) return [];
  const line = (offset: number) => lineCounter.linePos(offset).line - 1;
  const spans: FieldSpan[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const value = pair.value as { range?: [number, number, number] } | null;
    const end = Math.max(pair.key.range[1], value?.range ? value.range[1] : 0);
    // A value's end offset is just past its last character: step back over a trailing newline.
    let last = line(Math.max(pair.key.range[0], end - 1));
    while (last > line(pair.key.range[0]) && /^\s*(#.*)?$/.test(yaml.split('\n')[last] ?? '')) last--;
    spans.push({ key: String(pair.key.value), first: line(pair.key.range[0]), last });
  }
  return spans;
}

/** `key: value` lines as `newsletter new` writes them; no lines for an absent value. */
export function fieldLines(key: string, value: FieldValue | undefined): string[] {
  if (value === undefined) return [];
  if (value === null) return [`${key}:`];
  if (Array.isArray(value))
    return [
      `${key}:`,
      ...(value as { title: string; url: string }[]).flatMap((s) => [
        `  - title: ${JSON.stringify(s.title)}`,
        `    url: ${plainUrl(s.url) ? s.url : JSON.stringify(s.url)}`,
      ]),
    ];
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${key}: ${value}`];
  if (typeof value === 'string') return [`${key}: ${JSON.stringify(value)}`];
  return [`${key}: ${String(value)}`];
}

/** An address YAML reads back unchanged without quotes. */
const plainUrl = (url: string) => /^https?:\/\/[^\s"'`{}[\],#|>&*!%@]+$/.test(url) && !url.includes(': ');

const same = (a: FieldValue | undefined, b: FieldValue | undefined) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null) && (a === undefined) === (b === undefined);

/**
 * The file with these fields set: a changed field's lines are replaced, a field set to
 * `undefined` is removed, a new field goes after the field before it in `order` (and after a
 * commented example of itself, like the scaffold's `# reviewed_by: …`). The body is replaced.
 */
export function editFile(
  text: string,
  values: FieldValues,
  body: string,
  order: readonly string[],
): { ok: true; text: string } | { ok: false; error: string } {
  const split = splitText(text);
  if (!split) return { ok: false, error: 'the file does not start with front matter between --- lines' };
  const current = readFields(split.yaml);
  if (!current.ok) return { ok: false, error: `the front matter is not valid YAML: ${current.error}` };
  const lines = split.yaml.split(/\r?\n/);
  if (lines.length === 1 && lines[0] === '') lines.pop();
  const spans = fieldSpans(split.yaml);
  const replace: { first: number; last: number; lines: string[] }[] = [];
  const inserts: { key: string; value: FieldValue }[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!order.includes(key) || same(current.values[key], value)) continue;
    const span = spans.find((s) => s.key === key);
    if (span) replace.push({ first: span.first, last: span.last, lines: fieldLines(key, value) });
    else if (value !== undefined) inserts.push({ key, value });
  }
  // From the bottom up, so the line numbers of the fields above stay right.
  for (const r of replace.sort((a, b) => b.first - a.first)) lines.splice(r.first, r.last - r.first + 1, ...r.lines);
  let yaml = lines.join('\n');
  for (const { key, value } of inserts) yaml = insertField(yaml, key, value, order);
  const eol = split.eol;
  const out = `---${eol}${yaml ? `${yaml.split('\n').join(eol)}${eol}` : ''}---${eol}${body}`;
  return { ok: true, text: out };
}

function insertField(yaml: string, key: string, value: FieldValue, order: readonly string[]): string {
  const lines = yaml === '' ? [] : yaml.split('\n');
  const spans = fieldSpans(yaml);
  const before = order.slice(0, order.indexOf(key)).reverse();
  const anchor = before.map((k) => spans.find((s) => s.key === k)).find(Boolean);
  let at = anchor ? anchor.last + 1 : lines.length;
  // Past the comments that follow the anchor, when one of them is an example of this field.
  let probe = at;
  while (probe < lines.length && /^\s*#/.test(lines[probe]!)) {
    if (new RegExp(`^\\s*#\\s*${key}:`).test(lines[probe]!)) at = probe + 1;
    probe++;
  }
  lines.splice(at, 0, ...fieldLines(key, value));
  return lines.join('\n');
}

/** The field whose lines hold a 1-based file line, for showing a finding at its form field. */
export function fieldAtLine(text: string, fileLine: number): string | undefined {
  const split = splitText(text);
  if (!split) return undefined;
  const yamlLine = fileLine - 2;
  const spans = fieldSpans(split.yaml);
  return spans.find((s) => yamlLine >= s.first && yamlLine <= s.last)?.key;
}

/** The 1-based file line the body starts on. */
export function bodyStartLine(text: string): number {
  const split = splitText(text);
  if (!split) return 1;
  return text.slice(0, text.length - split.body.length).split('\n').length;
}
