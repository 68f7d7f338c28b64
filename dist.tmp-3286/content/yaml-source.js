// ../../work/wt/h-studio/src/content/yaml-source.ts
import { LineCounter, parseDocument, isMap, isScalar } from "yaml";
function parseYamlSource(text, lineOffset = 0) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset) => lineCounter.linePos(offset).line + lineOffset;
  const syntaxErrors = doc.errors.map((e) => ({
    line: lineAt(e.pos[0]),
    message: e.message.split("\n")[0] ?? e.message
  }));
  function lineOf(path) {
    for (let n = path.length; n >= 0; n--) {
      const keys = path.slice(0, n).map((k) => typeof k === "symbol" ? String(k) : k);
      const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
      if (node && node.range) {
        if (n === path.length && isMap(doc.contents) && n > 0) {
          const pair = findPair(doc, keys);
          if (pair !== void 0) return lineAt(pair);
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
    data: syntaxErrors.length ? void 0 : doc.toJS(),
    syntaxErrors,
    lineOf,
    topLevelKeys
  };
}
function findPair(doc, keys) {
  const parentKeys = keys.slice(0, -1);
  const last = keys[keys.length - 1];
  const parent = parentKeys.length ? doc.getIn(parentKeys, true) : doc.contents;
  if (!isMap(parent)) return void 0;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && pair.key.value === last && pair.key.range) return pair.key.range[0];
  }
  return void 0;
}
function closestName(name, known) {
  let best;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : void 0;
}
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
export {
  closestName,
  parseYamlSource
};
//# sourceMappingURL=yaml-source.js.map
