// ../../work/wt/h-studio/src/render/template-lines.ts
var MARK_BEGIN = (file) => `<!--ncw:b:${file}-->`;
var MARK_END = "<!--ncw:e-->";
function mapAssembledLines(assembled) {
  const token = /<!--ncw:b:(.*?)-->|<!--ncw:e-->/g;
  const stack = [];
  const out = [];
  for (const text of assembled.split("\n")) {
    const leading = /^(\s*(<!--ncw:b:.*?-->|<!--ncw:e-->))*/.exec(text)?.[0] ?? "";
    let recorded = false;
    token.lastIndex = 0;
    for (let m = token.exec(text); m; m = token.exec(text)) {
      if (!recorded && m.index >= leading.length) {
        out.push({ ...stack[stack.length - 1] ?? { file: "?", line: 0 } });
        recorded = true;
      }
      if (m[1] !== void 0) stack.push({ file: m[1], line: 1 });
      else stack.pop();
    }
    if (!recorded) out.push({ ...stack[stack.length - 1] ?? { file: "?", line: 0 } });
    const current = stack[stack.length - 1];
    if (current) current.line++;
  }
  return out;
}
export {
  MARK_BEGIN,
  MARK_END,
  mapAssembledLines
};
//# sourceMappingURL=template-lines.js.map
