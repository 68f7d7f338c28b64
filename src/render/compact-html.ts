/**
 * Drops the whitespace MJML writes to indent its output (about a fifth of every email) and
 * keeps every space a reader's client could show. An email with `<pre>`, `<textarea>` or
 * `white-space: pre…` is left as it is; in any other a run of whitespace in text renders as one
 * space wherever it is. (A tip's code block is `white-space:pre-wrap` in the email, so a tip with
 * one keeps MJML's indentation; compile-email.ts has made its line breaks spaces anyway.) What stays:
 *
 * - text: each run of whitespace with a line break becomes one space (it renders as one);
 * - between two tags: a run with a line break is dropped when a block-level or table tag, a
 *   comment or the document's head sits on either side (a space there starts or ends a line
 *   and is not drawn), and becomes one space between two inline tags (`</a>\n<strong>`);
 * - `<style>`: runs become one space, none around `{`, `}` and `;`, nor around a declaration's `:`;
 * - inside a tag, whitespace between attributes becomes one space (none before `>`); quoted
 *   values are kept as they are;
 * - comments (Outlook's conditional ones among them) are kept as written, but for line breaks
 *   inside a conditional comment: none between two tags, one space elsewhere;
 * - whitespace without a line break is kept as it is: MJML's indentation always has one, and
 *   the content's own spaces stay exactly as the writer and the escaping left them.
 *
 * The screenshots in tests/render/compact-html.browser.test.ts hold the result pixel-identical.
 */
export function compactHtml(html: string): string {
  // Where whitespace is drawn as written, nothing here is safe: such an email goes as MJML wrote it.
  if (PRESERVES_WHITESPACE.test(html)) return html;
  const out: string[] = [];
  // A tag, a comment or a style element; the text between them is handled below.
  const token = /<!--[\s\S]*?-->|<style\b[^>]*>[\s\S]*?<\/style>|<[^>]*>/gi;
  let last = 0;
  let before = ''; // the token before the current text
  let m: RegExpExecArray | null;
  while ((m = token.exec(html))) {
    if (m.index > last) out.push(compactText(html.slice(last, m.index), before, m[0]));
    out.push(compactToken(m[0]));
    before = m[0];
    last = token.lastIndex;
  }
  if (last < html.length) out.push(compactText(html.slice(last), before, ''));
  return out.join('');
}

/** An element or style that draws whitespace as written. */
export const PRESERVES_WHITESPACE = /<pre\b|<textarea\b|white-space\s*:\s*(?:pre|break-spaces)/i;

/** Elements a line break next to is not drawn beside (it starts or ends a line, or is no text at all). */
const BLOCK = new Set(
  (
    'html head body title meta link style div p h1 h2 h3 h4 h5 h6 ul ol li blockquote hr table thead tbody ' +
    'tfoot tr td th caption colgroup col center section article header footer nav main aside figure ' +
    'figcaption dl dt dd address'
  ).split(' '),
);

const tagName = (token: string) => /^<\/?([a-zA-Z][a-zA-Z0-9]*)/.exec(token)?.[1]?.toLowerCase();

/** Whether a line break next to this token may go: a comment, a doctype, a block-level tag, or the start or end. */
function breaksLine(token: string): boolean {
  if (token === '' || token.startsWith('<!')) return true;
  const name = tagName(token);
  return name !== undefined && BLOCK.has(name);
}

function compactText(text: string, before: string, after: string): string {
  if (!text.includes('\n')) return text;
  if (!/\S/.test(text)) return breaksLine(before) || breaksLine(after) ? '' : ' ';
  return text.replace(/\s*\n\s*/g, ' ');
}

function compactToken(token: string): string {
  if (/^<style\b/i.test(token)) {
    const open = token.indexOf('>') + 1;
    const close = token.lastIndexOf('</');
    const css = token
      .slice(open, close)
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};])\s*/g, '$1')
      // Inside a declaration block (no `{` within), `color: red` is `color:red`; in a selector
      // the space before a colon would mean something (`a :hover`), so only there.
      .replace(/\{[^{}]*\}/g, (block) => block.replace(/\s*:\s*/g, ':'))
      .trim();
    return token.slice(0, open) + css + token.slice(close);
  }
  // Inside Outlook's conditional comments: markup for Word's engine, where a line break
  // between two tags means nothing.
  if (token.startsWith('<!--[if')) return token.replace(/>\s*\n\s*</g, '><').replace(/\s*\n\s*/g, ' ');
  if (token.startsWith('<!')) return token;
  return compactTag(token);
}

/**
 * A tag with MJML's line breaks between its attributes made one space (none before `>`);
 * quoted values are kept exactly as they are.
 */
function compactTag(tag: string): string {
  if (!/\s\s|\s\/?>/.test(tag)) return tag;
  let out = '';
  let quote = '';
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j + 1 < tag.length && /\s/.test(tag[j + 1]!)) j++;
      const next = tag[j + 1];
      if (next !== '>' && !(next === '/' && tag[j + 2] === '>')) out += ' ';
      i = j;
    } else out += c;
  }
  return out;
}
