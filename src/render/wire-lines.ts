import { PRESERVES_WHITESPACE } from './compact-html.ts';

/**
 * Makes an email's HTML fit a 7bit MIME part, so it goes on the wire as written instead
 * of in quoted-printable (where every `=` of the markup costs `=3D` and every 76 characters a
 * soft line break): about 2 KB less per tip. The document stays the same document:
 *
 * - a character outside ASCII in text or in an attribute becomes a numeric character reference
 *   (`·` → `&#183;`), which every HTML parser reads back as the same character; one inside a
 *   `<style>` or a comment is left alone (the part then stays quoted-printable);
 * - lines are kept to 76 characters where the markup allows it, by turning a space that is
 *   already there into a line break, only where any whitespace reads the same: between a tag's
 *   attributes (in Outlook's conditional comments too), in CSS, and in text that is not shown as
 *   written. No whitespace is added where there was none; a long link stays on one line (a 7bit
 *   line may have 998 characters, see src/mailer/body-encoding.ts).
 *
 * The mailer applies it to the compiled HTML once per email, for the wire only (the compiled
 * HTML that previews and checks read stays as it is): src/mailer/seven-bit.ts.
 * tests/render/compact-html.browser.test.ts holds the result pixel-identical to MJML's output.
 */
export function wireLines(html: string): string {
  // Where text is drawn as written, a line break would show: only tags and CSS may break then.
  const out = asciiAndBreaks(html.replace(/\r\n?/g, '\n'), !PRESERVES_WHITESPACE.test(html));
  return wrap(out.text, out.breakable);
}

/** RFC 2045's line length for a body that should pass any relay untouched. */
export const WIRE_LINE = 76;

interface Marked {
  text: string;
  /** Offsets of spaces in `text` that may become a line break. */
  breakable: Set<number>;
}

type Context = 'text' | 'tag' | 'comment' | 'css';

/** Where the scan is: its context, an open quote, and whether it is in a tag within a comment. */
interface Scan {
  html: string;
  i: number;
  context: Context;
  quote: string;
  inCommentTag: boolean;
  textMayBreak: boolean;
  out: Marked;
}

/** The character at the scan as ASCII: itself, or a numeric reference (a pair of surrogates as one). */
function ascii(scan: Scan, c: string): string {
  if (c.charCodeAt(0) <= 0x7e) return c;
  const code = scan.html.codePointAt(scan.i)!;
  if (code > 0xffff) scan.i++;
  return `&#${code};`;
}

/**
 * One pass over the document: which context each character is in, its ASCII form, and whether
 * it is a space a line break may replace.
 */
function asciiAndBreaks(html: string, textMayBreak: boolean): Marked {
  const scan: Scan = {
    html,
    i: 0,
    context: 'text',
    quote: '',
    inCommentTag: false,
    textMayBreak,
    out: { text: '', breakable: new Set() },
  };
  for (; scan.i < html.length; scan.i++) STEP[scan.context](scan, html[scan.i]!);
  return scan.out;
}

const ahead = (scan: Scan, s: string) => scan.html.startsWith(s, scan.i);
const markBreak = (scan: Scan) => scan.out.breakable.add(scan.out.text.length);

/** The step for each context: moves to the next context, marks breakable spaces, writes the character. */
const STEP: Record<Context, (scan: Scan, c: string) => void> = {
  text(scan, c) {
    if (c === '<' && ahead(scan, '<!--')) scan.context = 'comment';
    else if (c === '<') scan.context = /^<style\b/i.test(scan.html.slice(scan.i, scan.i + 7)) ? 'css' : 'tag';
    else if (c === ' ' && scan.textMayBreak && !ahead(scan, ' From ')) markBreak(scan);
    scan.out.text += ascii(scan, c);
  },
  tag(scan, c) {
    if (scan.quote) {
      if (c === scan.quote) scan.quote = '';
    } else if (c === '"' || c === "'") scan.quote = c;
    else if (c === '>') scan.context = 'text';
    else if (c === ' ') markBreak(scan);
    // Attribute values keep their characters as references.
    scan.out.text += ascii(scan, c);
  },
  css(scan, c) {
    if (scan.quote) {
      if (c === scan.quote) scan.quote = '';
    } else if (c === '"' || c === "'") scan.quote = c;
    else if (c === ' ' && !ahead(scan, ' From ')) markBreak(scan);
    else if (c === '<' && ahead(scan, '</style')) scan.context = 'tag';
    scan.out.text += c;
  },
  comment(scan, c) {
    if (scan.quote) {
      if (c === scan.quote) scan.quote = '';
    } else if (ahead(scan, '-->')) {
      scan.out.text += '--';
      scan.i += 2;
      c = '>';
      scan.context = 'text';
      scan.inCommentTag = false;
    } else if (c === '<' && commentBodyStarted(scan.out.text)) scan.inCommentTag = true;
    else if (c === '>') scan.inCommentTag = false;
    else if (scan.inCommentTag && (c === '"' || c === "'")) scan.quote = c;
    else if (scan.inCommentTag && c === ' ') markBreak(scan);
    scan.out.text += c;
  },
};

/** Past a conditional comment's `<!--[if …]>`: tags there are markup for Outlook. */
function commentBodyStarted(text: string): boolean {
  const open = text.lastIndexOf('<!--');
  return open >= 0 && text.startsWith('<!--[if', open) && text.indexOf(']>', open) > 0;
}

/** Greedy: each line as long as it can be within WIRE_LINE, broken at the last breakable space. */
function wrap(text: string, breakable: Set<number>): string {
  const out = text.split('');
  let lineStart = 0;
  let lastBreak = -1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '\n') {
      lineStart = i + 1;
      lastBreak = -1;
    } else if (breakable.has(i) && i - lineStart > WIRE_LINE && lastBreak < lineStart) {
      // A run longer than a line (a long link): broken at the first space after it.
      out[i] = '\n';
      lineStart = i + 1;
    } else {
      if (breakable.has(i) && i - lineStart <= WIRE_LINE) lastBreak = i;
      if (i - lineStart >= WIRE_LINE && lastBreak >= lineStart) {
        out[lastBreak] = '\n';
        lineStart = lastBreak + 1;
        // The next line starts here: its characters are looked at again for its own breaks.
        i = lastBreak;
        lastBreak = -1;
      }
    }
  }
  return out.join('');
}
