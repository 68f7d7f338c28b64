// ../../work/wt/h-studio/src/content/closing.ts
import { Lexer } from "marked";
import { markdownToEmailHtml, markdownToWebHtml } from "./markdown.js";
var CLOSING = /^(next week|thank you)\b/i;
function closingOf(markdown, body, style) {
  const tokens = new Lexer({ gfm: true }).lex(markdown).filter((t) => t.type !== "space");
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== "paragraph" || !CLOSING.test(last.text) || tokens.length < 2) return {};
  const closingHtml = markdownToEmailHtml(last.raw.trim(), style).html;
  const closingWebHtml = markdownToWebHtml(last.raw.trim()).html;
  return body.html.endsWith(closingHtml) && body.webHtml.endsWith(closingWebHtml) ? { closingHtml, closingWebHtml } : {};
}
export {
  closingOf
};
//# sourceMappingURL=closing.js.map
