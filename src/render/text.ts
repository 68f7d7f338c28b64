import { convert, type DomNode, type FormatCallback } from 'html-to-text';
import { WARNING_LABEL } from '../content/alerts.ts';

/** What a warning starts with in the text part: "IMPORTANT:", then the warning's first line. */
export const TEXT_WARNING_PREFIX = `${WARNING_LABEL.toUpperCase()}:`;

const isWhitespace = (n: DomNode) => n.type === 'text' && !(n.data ?? '').trim();
const hasClass = (n: DomNode, name: string) => (n.attribs?.class ?? '').split(/\s+/).includes(name);

/**
 * A warning (`div.important`, see content/markdown.ts) in plain text: its label becomes
 * "IMPORTANT:" at the start of its first paragraph, so it is marked even where nothing is bold.
 */
const importantBlock: FormatCallback = (elem, walk, builder, options) => {
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  const [first, ...rest] = (elem.children ?? []).filter((n) => !isWhitespace(n) && !hasClass(n, 'important-label'));
  builder.addInline(TEXT_WARNING_PREFIX);
  if (first?.type === 'tag' && first.name === 'p') {
    builder.addInline(' ');
    walk(first.children ?? [], builder);
  } else if (first) walk([first], builder);
  walk(rest, builder);
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
};

/**
 * The plain-text form of rendered Markdown: headings and lists kept readable, every link
 * written out after its text so nothing is lost in a text-only client. A warning starts with
 * "IMPORTANT:" and a quote is marked with "> ", so neither reads as the tip's own text.
 */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 76,
    formatters: { importantBlock },
    selectors: [
      { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
      { selector: 'h2', options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: 'h3', options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: 'img', format: 'skip' },
      { selector: 'ul', options: { itemPrefix: ' - ' } },
      { selector: 'div.important', format: 'importantBlock', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      {
        selector: 'div.quote',
        format: 'blockquote',
        options: { leadingLineBreaks: 2, trailingLineBreaks: 2, trimEmptyLines: true },
      },
    ],
  }).trim();
}

/** Collapses the blank lines that template conditionals leave behind. */
export function tidyText(text: string): string {
  return `${text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
