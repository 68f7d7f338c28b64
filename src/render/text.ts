import { convert } from 'html-to-text';

/**
 * The plain-text form of rendered Markdown: headings and lists kept readable, every link
 * written out after its text so nothing is lost in a text-only client.
 */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 76,
    selectors: [
      { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
      { selector: 'h2', options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: 'h3', options: { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 1 } },
      { selector: 'img', format: 'skip' },
      { selector: 'ul', options: { itemPrefix: ' - ' } },
    ],
  }).trim();
}

/** Collapses the blank lines that template conditionals leave behind. */
export function tidyText(text: string): string {
  return `${text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

