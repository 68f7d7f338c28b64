// ../../work/wt/h-studio/src/render/on-demand.ts
var compileMjml = async (mjml) => (await import("./mjml.js")).compileMjml(mjml);
async function loadTemplates(templatesDir, rootDir = process.cwd()) {
  return (await import("./templates.js")).loadTemplates(templatesDir, rootDir);
}
export {
  compileMjml,
  loadTemplates
};
//# sourceMappingURL=on-demand.js.map
