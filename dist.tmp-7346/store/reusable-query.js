// ../../work/wt/h-studio/src/store/reusable-query.ts
var MARK = "\0ncw-param:";
function reusableQuery(keys, build) {
  const markers = Object.fromEntries(keys.map((k) => [k, `${MARK}${k}`]));
  const compiled = build(markers).compile();
  const slots = compiled.parameters.map(
    (p) => typeof p === "string" && p.startsWith(MARK) ? { key: p.slice(MARK.length) } : { value: p }
  );
  for (const k of keys) {
    if (!slots.some((s) => s.key === k)) throw new Error(`reusableQuery: value "${k}" is not used by the query`);
  }
  return (values) => ({ ...compiled, parameters: slots.map((s) => s.key === void 0 ? s.value : values[s.key]) });
}
export {
  reusableQuery
};
//# sourceMappingURL=reusable-query.js.map
