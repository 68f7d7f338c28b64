import { isWarningMarker } from '../content/alerts.ts';
import type { Series, Tip } from '../content/index.ts';
import { INCLUDE_LINE } from '../content/red-flags.ts';
import type { Problem } from '../problems.ts';

/** The start of a Markdown alert (`> [!WARNING]`); content/alerts.ts says which markers render as "Important". */
const ALERT_START = /^[ \t]{0,3}>[ \t]?\[!(\w+)\]/;
const startsWarning = (line: string) => {
  const marker = ALERT_START.exec(line)?.[1];
  return marker !== undefined && isWarningMarker(marker);
};

/**
 * Emergency advice belongs in a warning (`> [!WARNING]`), which readers can tell apart from a
 * tip, or comes from help.md through an include, where its tier is kept in one place. A tip that
 * says "911", "emergency" or "urgent" anywhere else (its body or its `tonight` line) gets a
 * warning at that line: move the sentence into a warning, or include the sign from help.md.
 */
export function urgentWordsOutsideWarnings(tips: readonly Tip[], series: Pick<Series, 'emergency'>): Problem[] {
  const words = urgentWordPattern(series.emergency);
  const problems: Problem[] = [];
  for (const tip of tips) {
    const warn = (line: number, word: string, where: string) =>
      problems.push({
        severity: 'warning',
        check: 'urgent-words',
        file: tip.file,
        line,
        message: `${where} says "${word}" outside a warning: put emergency advice in a "> [!WARNING]" block, or include the sign from content/pages/help.md with {{red-flags TIER: sign}}`,
      });
    let inWarning = false;
    tip.sourceMarkdown.split('\n').forEach((text, i) => {
      if (startsWarning(text)) inWarning = true;
      // A blank line ends the block quote, and with it the warning.
      else if (!text.trim()) inWarning = false;
      if (inWarning || INCLUDE_LINE.test(text)) return;
      const found = words.exec(text);
      if (found) warn(tip.bodyLine + i, found[0], 'the body');
    });
    const tonight = tip.tonight && words.exec(tip.tonight);
    if (tonight) warn(tip.fieldLines.tonight ?? 2, tonight[0], 'tonight');
  }
  return problems;
}

/** "911", "emergency", "urgent…", the series' own number(s), and the `{{emergency}}` that stands for them. */
function urgentWordPattern(emergency: string): RegExp {
  const numbers = emergency
    .split(/\s+or\s+/)
    .map((n) => n.replace(/\D/g, ''))
    .filter(Boolean);
  const alternatives = [...new Set(['911', ...numbers])].map((n) => `(?<!\\d)${n}(?!\\d)`);
  return new RegExp(`${alternatives.join('|')}|\\bemergency\\b|\\burgent\\w*`, 'i');
}
