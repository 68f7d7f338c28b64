// ../../work/wt/h-studio/src/cli/links-note.ts
function linksUse(config) {
  return `links use ${config.baseUrl}`;
}
export {
  linksUse
};
//# sourceMappingURL=links-note.js.map
