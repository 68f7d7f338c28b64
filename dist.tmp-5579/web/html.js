// ../../work/wt/h-studio/src/web/html.ts
import { escapeHtml } from "../content/escape.js";
var SafeHtml = class {
  constructor(value) {
    this.value = value;
  }
  value;
  toString() {
    return this.value;
  }
};
function render(part) {
  if (part === null || part === void 0 || part === false) return "";
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}
function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
var trusted = (markup) => new SafeHtml(markup);
export {
  SafeHtml,
  html,
  trusted
};
//# sourceMappingURL=html.js.map
