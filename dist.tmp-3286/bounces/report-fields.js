// ../../work/wt/h-studio/src/bounces/report-fields.ts
function fieldGroups(text) {
  const groups = [];
  let current = /* @__PURE__ */ new Map();
  let last;
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.trim() === "") {
      if (current.size) groups.push(current);
      current = /* @__PURE__ */ new Map();
      last = void 0;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    last = name;
    if (!current.has(name)) current.set(name, line.slice(colon + 1).trim());
    else last = void 0;
  }
  if (current.size) groups.push(current);
  return groups;
}
function headerFields(message) {
  const head = message.replace(/\r\n?/g, "\n").split(/\n\n/, 1)[0] ?? "";
  return fieldGroups(head)[0] ?? /* @__PURE__ */ new Map();
}
function addressIn(value) {
  if (!value) return void 0;
  const bare = value.replace(/^[^;]*;\s*/, "").trim();
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(bare) ?? /([^<>\s;]+@[^<>\s;]+)/.exec(bare);
  return m?.[1];
}
export {
  addressIn,
  fieldGroups,
  headerFields
};
//# sourceMappingURL=report-fields.js.map
