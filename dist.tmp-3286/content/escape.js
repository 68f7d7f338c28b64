// ../../work/wt/h-studio/src/content/escape.ts
function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
export {
  escapeHtml
};
//# sourceMappingURL=escape.js.map
