// ../../work/wt/h-studio/src/content/alerts.ts
import { Lexer } from "marked";
var WARNING_MARKERS = ["WARNING", "CAUTION", "IMPORTANT"];
var WARNING_LABEL = "Important";
var WARNING_COLOURS = { background: "#fef3f2", border: "#f4c7c3", edge: "#b42318", label: "#b42318" };
var QUOTE_RULE = "#7b8794";
var MARKER = /^\[!([A-Za-z]+)\][ \t]*(?:\r?\n|$)?/;
function alertMarkerOf(quote) {
  return MARKER.exec(quote.text)?.[1]?.toUpperCase();
}
function isWarningMarker(word) {
  return WARNING_MARKERS.includes(word.toUpperCase());
}
function markedAlerts(options) {
  return {
    walkTokens(token) {
      if (token.type !== "blockquote") return;
      const quote = token;
      const marker = alertMarkerOf(quote);
      if (!marker) return;
      if (!isWarningMarker(marker)) {
        options.report({
          severity: "error",
          check: "alert",
          message: `"[!${marker}]" is not a kind of note this newsletter shows: write "> [!WARNING]" for a safety warning, or a plain ">" quote`,
          raw: quote.raw
        });
        return;
      }
      const tokens = withoutMarker(quote.tokens);
      if (!tokens.some((t) => t.type !== "space")) {
        options.report({
          severity: "error",
          check: "alert",
          message: `the "[!${marker}]" warning is empty: write the warning on the lines after it, each starting with ">"`,
          raw: quote.raw
        });
      }
      const warning = token;
      warning.type = "warning";
      warning.marker = marker;
      warning.tokens = tokens;
    },
    extensions: [
      {
        name: "warning",
        level: "block",
        renderer(token) {
          return options.render(this.parser.parse(token.tokens));
        }
      }
    ]
  };
}
function withoutMarker(tokens) {
  const [first, ...rest] = tokens;
  if (first?.type !== "paragraph") return tokens;
  const para = first;
  const text = para.text.replace(MARKER, "");
  if (!text.trim()) return rest.filter((t, i) => i > 0 || t.type !== "space");
  const lead = para.tokens[0];
  if (lead?.type === "text" && MARKER.test(lead.raw)) {
    const t = lead;
    t.raw = t.raw.replace(MARKER, "");
    t.text = t.text.replace(MARKER, "");
    const inline = t.text ? para.tokens : para.tokens.slice(1);
    if (inline[0]?.type === "br") inline.shift();
    para.tokens = inline;
  } else {
    para.tokens = Lexer.lexInline(text, { gfm: true });
  }
  para.raw = para.raw.replace(MARKER, "");
  para.text = text;
  return [para, ...rest];
}
export {
  QUOTE_RULE,
  WARNING_COLOURS,
  WARNING_LABEL,
  WARNING_MARKERS,
  alertMarkerOf,
  isWarningMarker,
  markedAlerts
};
//# sourceMappingURL=alerts.js.map
