// ../../work/wt/h-studio/src/content/front-matter-edit.ts
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
var FENCE = /^---[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|$)/m;
function splitText(text) {
  if (!/^---[ \t]*\r?\n/.test(text)) return void 0;
  const m = FENCE.exec(text);
  if (!m || m.index !== 0) return void 0;
  return { yaml: m[1] ?? "", body: text.slice(m[0].length), eol: text.includes("\r\n") ? "\r\n" : "\n" };
}
function readFields(yaml) {
  const doc = parseDocument(yaml, { uniqueKeys: true });
  if (doc.errors.length) return { ok: false, error: doc.errors[0].message.split("\n")[0] };
  const data = doc.toJS();
  if (data === null || data === void 0) return { ok: true, values: {} };
  if (typeof data !== "object" || Array.isArray(data)) return { ok: false, error: "front matter must be fields" };
  const values = {};
  for (const [k, v] of Object.entries(data)) values[k] = plain(v);
  return { ok: true, values };
}
function plain(v) {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v === void 0) return null;
  if (Array.isArray(v))
    return v.map((s) => {
      const o = s ?? {};
      return { title: String(o.title ?? ""), url: String(o.url ?? "") };
    });
  if (typeof v === "object" && v !== null) return JSON.stringify(v);
  return v;
}
function fieldSpans(yaml) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, keepSourceTokens: false });
  if (!isMap(doc.contents)) return [];
  const line = (offset) => lineCounter.linePos(offset).line - 1;
  const spans = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const value = pair.value;
    const end = Math.max(pair.key.range[1], value?.range ? value.range[1] : 0);
    let last = line(Math.max(pair.key.range[0], end - 1));
    while (last > line(pair.key.range[0]) && /^\s*(#.*)?$/.test(yaml.split("\n")[last] ?? "")) last--;
    spans.push({ key: String(pair.key.value), first: line(pair.key.range[0]), last });
  }
  return spans;
}
function fieldLines(key, value) {
  if (value === void 0) return [];
  if (value === null) return [`${key}:`];
  if (Array.isArray(value))
    return [
      `${key}:`,
      ...value.flatMap((s) => [
        `  - title: ${JSON.stringify(s.title)}`,
        `    url: ${plainUrl(s.url) ? s.url : JSON.stringify(s.url)}`
      ])
    ];
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${key}: ${value}`];
  if (typeof value === "string") return [`${key}: ${JSON.stringify(value)}`];
  return [`${key}: ${String(value)}`];
}
var plainUrl = (url) => /^https?:\/\/[^\s"'`{}[\],#|>&*!%@]+$/.test(url) && !url.includes(": ");
var same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null) && a === void 0 === (b === void 0);
function editFile(text, values, body, order) {
  const split = splitText(text);
  if (!split) return { ok: false, error: "the file does not start with front matter between --- lines" };
  const current = readFields(split.yaml);
  if (!current.ok) return { ok: false, error: `the front matter is not valid YAML: ${current.error}` };
  const lines = split.yaml.split(/\r?\n/);
  if (lines.length === 1 && lines[0] === "") lines.pop();
  const spans = fieldSpans(split.yaml);
  const replace = [];
  const inserts = [];
  for (const [key, value] of Object.entries(values)) {
    if (!order.includes(key) || same(current.values[key], value)) continue;
    const span = spans.find((s) => s.key === key);
    if (span) replace.push({ first: span.first, last: span.last, lines: fieldLines(key, value) });
    else if (value !== void 0) inserts.push({ key, value });
  }
  for (const r of replace.sort((a, b) => b.first - a.first)) lines.splice(r.first, r.last - r.first + 1, ...r.lines);
  let yaml = lines.join("\n");
  for (const { key, value } of inserts) yaml = insertField(yaml, key, value, order);
  const eol = split.eol;
  const out = `---${eol}${yaml ? `${yaml.split("\n").join(eol)}${eol}` : ""}---${eol}${body}`;
  return { ok: true, text: out };
}
function insertField(yaml, key, value, order) {
  const lines = yaml === "" ? [] : yaml.split("\n");
  const spans = fieldSpans(yaml);
  const before = order.slice(0, order.indexOf(key)).reverse();
  const anchor = before.map((k) => spans.find((s) => s.key === k)).find(Boolean);
  let at = anchor ? anchor.last + 1 : lines.length;
  let probe = at;
  while (probe < lines.length && /^\s*#/.test(lines[probe])) {
    if (new RegExp(`^\\s*#\\s*${key}:`).test(lines[probe])) at = probe + 1;
    probe++;
  }
  lines.splice(at, 0, ...fieldLines(key, value));
  return lines.join("\n");
}
function fieldAtLine(text, fileLine) {
  const split = splitText(text);
  if (!split) return void 0;
  const yamlLine = fileLine - 2;
  const spans = fieldSpans(split.yaml);
  return spans.find((s) => yamlLine >= s.first && yamlLine <= s.last)?.key;
}
function bodyStartLine(text) {
  const split = splitText(text);
  if (!split) return 1;
  return text.slice(0, text.length - split.body.length).split("\n").length;
}
export {
  bodyStartLine,
  editFile,
  fieldAtLine,
  fieldLines,
  fieldSpans,
  readFields,
  splitText
};
//# sourceMappingURL=front-matter-edit.js.map
