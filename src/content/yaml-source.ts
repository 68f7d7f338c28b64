import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node } from 'yaml';

/**
 * YAML parsed with its positions kept, so a validation error on `sources[1].url` can name the
 * line it came from. `lineOffset` is the number of lines before the YAML text in its file
 * (1 for front matter, which starts after the opening `---`).
 */
export interface YamlSource {
  data: unknown;
  /** Syntax errors, with the 1-based line in the file. */
  syntaxErrors: { line: number; message: string }[];
  lineOf(path: readonly PropertyKey[]): number;
  /** Top-level keys with their lines, for unknown-field checks. */
  topLevelKeys(): { key: string; line: number }[];
}

export function parseYamlSource(text: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;

  const syntaxErrors = doc.errors.map((e) => ({
    line: lineAt(e.pos[0]),
    message: e.message.split('\n')[0] ?? e.message,
  }));

  function lineOf(path: readonly PropertyKey[]): number {
    // Walk down as far as the path exists: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const keys = path.slice(0, n).map((k) => (typeof k === 'symbol' ? String(k) : k));
      const node = (keys.length === 0 ? doc.contents : doc.getIn(keys, true)) as Node | undefined;
      if (node && node.range) {
        if (n === path.length && isMap(doc.contents) && n > 0) {
          // Prefer the key's line for a field (`week: three` is reported where `week` is).
          const pair = findPair(doc, keys);
          if (pair !== undefined) return lineAt(pair);
        }
        return lineAt(node.range[0]);
      }
    }
    return lineOffset + 1;
  }

  function topLevelKeys() {
    if (!isMap(doc.contents)) return [];
    return doc.contents.items.flatMap((pair) => {
      const key = pair.key;
      if (!isScalar(key) || !key.range) return [];
      return [{ key: String(key.value), line: lineAt(key.range[0]) }];
    });
  }

  return {
    data: syntaxErrors.length ? undefined : doc.toJS(),
    syntaxErrors,
    lineOf,
    topLevelKeys,
  };
}

function findPair(doc: Document, keys: readonly (string | number)[]): number | undefined {
  const parentKeys = keys.slice(0, -1);
  const last = keys[keys.length - 1];
  const parent = parentKeys.length ? doc.getIn(parentKeys, true) : doc.contents;
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && pair.key.value === last && pair.key.range) return pair.key.range[0];
  }
  return undefined;
}

/** Closest known name to a typo (`tittle` → `title`), or undefined when nothing is close. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
