import { Lexer } from 'marked';
import { markdownToEmailHtml, markdownToWebHtml, type MarkdownStyle } from './markdown.ts';

/** How a tip signs off: "Next week: …", or "Thank you for reading …" in the last one. */
const CLOSING = /^(next week|thank you)\b/i;

/**
 * The body's closing line as email and web HTML, when its last block is a paragraph that signs
 * off. The emails and the tip page put the "Try this tonight" box before it, so the tip does not
 * say goodbye and then go on. Empty when the body ends otherwise (the box then follows the whole body).
 */
export function closingOf(
  markdown: string,
  body: { html: string; webHtml: string },
  style: MarkdownStyle,
): { closingHtml?: string; closingWebHtml?: string } {
  const tokens = new Lexer({ gfm: true }).lex(markdown).filter((t) => t.type !== 'space');
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'paragraph' || !CLOSING.test(last.text) || tokens.length < 2) return {};
  const closingHtml = markdownToEmailHtml(last.raw.trim(), style).html;
  const closingWebHtml = markdownToWebHtml(last.raw.trim()).html;
  return body.html.endsWith(closingHtml) && body.webHtml.endsWith(closingWebHtml)
    ? { closingHtml, closingWebHtml }
    : {};
}
