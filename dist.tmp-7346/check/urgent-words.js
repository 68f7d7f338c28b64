// ../../work/wt/h-studio/src/check/urgent-words.ts
import { isWarningMarker } from "../content/alerts.js";
import { INCLUDE_LINE } from "../content/red-flags.js";
var ALERT_START = /^[ \t]{0,3}>[ \t]?\[!(\w+)\]/;
var startsWarning = (line) => {
  const marker = ALERT_START.exec(line)?.[1];
  return marker !== void 0 && isWarningMarker(marker);
};
function urgentWordsOutsideWarnings(tips, series) {
  const words = urgentWordPattern(series.emergency);
  const problems = [];
  for (const tip of tips) {
    const warn = (line, word, where) => problems.push({
      severity: "warning",
      check: "urgent-words",
      file: tip.file,
      line,
      message: `${where} says "${word}" outside a warning: put emergency advice in a "> [!WARNING]" block, or include the sign from content/pages/help.md with {{red-flags TIER: sign}}`
    });
    let inWarning = false;
    tip.sourceMarkdown.split("\n").forEach((text, i) => {
      if (startsWarning(text)) inWarning = true;
      else if (!text.trim()) inWarning = false;
      if (inWarning || INCLUDE_LINE.test(text)) return;
      const found = words.exec(text);
      if (found) warn(tip.bodyLine + i, found[0], "the body");
    });
    const tonight = tip.tonight && words.exec(tip.tonight);
    if (tonight) warn(tip.fieldLines.tonight ?? 2, tonight[0], "tonight");
  }
  return problems;
}
function urgentWordPattern(emergency) {
  const numbers = emergency.split(/\s+or\s+/).map((n) => n.replace(/\D/g, "")).filter(Boolean);
  const alternatives = [.../* @__PURE__ */ new Set(["911", ...numbers])].map((n) => `(?<!\\d)${n}(?!\\d)`);
  return new RegExp(`${alternatives.join("|")}|\\bemergency\\b|\\burgent\\w*`, "i");
}
export {
  urgentWordsOutsideWarnings
};
//# sourceMappingURL=urgent-words.js.map
