// ../../work/wt/h-studio/src/render/text.ts
import { convert } from "html-to-text";
import { WARNING_LABEL } from "../content/alerts.js";
var TEXT_WARNING_PREFIX = `${WARNING_LABEL.toUpperCase()}:`;
var isWhitespace = (n) => n.type === "text" && !(n.data ?? "").trim();
var hasClass = (n, name) => (n.attribs?.class ?? "").split(/\s+/).includes(name);
var importantBlock = (elem, walk, builder, options) => {
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  const [first, ...rest] = (elem.children ?? []).filter((n) => !isWhitespace(n) && !hasClass(n, "important-label"));
  builder.addInline(TEXT_WARNING_PREFIX);
  if (first?.type === "tag" && first.name === "p") {
    builder.addInline(" ");
    walk(first.children ?? [], builder);
  } else if (first) walk([first], builder);
  walk(rest, builder);
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
};
function htmlToPlainText(html) {
  return convert(html, {
    wordwrap: 76,
    formatters: { importantBlock },
    selectors: [
      { selector: "a", options: { linkBrackets: ["(", ")"], hideLinkHrefIfSameAsText: true } },
      { selector: "h2", options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: "h3", options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: "img", format: "skip" },
      { selector: "ul", options: { itemPrefix: " - " } },
      { selector: "div.important", format: "importantBlock", options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      {
        selector: "div.quote",
        format: "blockquote",
        options: { leadingLineBreaks: 2, trailingLineBreaks: 2, trimEmptyLines: true }
      }
    ]
  }).trim();
}
function tidyText(text) {
  return `${text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim()}
`;
}
export {
  TEXT_WARNING_PREFIX,
  htmlToPlainText,
  tidyText
};
//# sourceMappingURL=text.js.map
