import { Lexer } from 'marked';
import { markdownToEmailHtml, type MarkdownStyle } from './markdown.ts';

/** How a tip signs off: "Next week: …", or "Thank you for reading …" in the last one. */
const CLOSING = /^(next week|thank you)\b/i;

/**
 * The body's closing line as HTML, when its last block is a paragraph that signs off. The emails
 * and the tip page put the "Try this tonight" box before it, so the tip does not say goodbye and
 * then go on. Undefined when the body ends otherwise (the box then follows the whole body).
 */
export function closingOf(markdown: string, html: string, style: MarkdownStyle): { closingHtml?: string } {
  const tokens = new Lexer({ gfm: true }).lex(markdown).filter((t) => t.type !== 'space');
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'paragraph' || !CLOSING.test(last.text) || tokens.length < 2) return {};
  const closingHtml = markdownToEmailHtml(last.raw.trim(), style).html;
  return html.endsWith(closingHtml) ? { closingHtml } : {};
}
