import { Lexer, type MarkedExtension, type Token, type Tokens } from 'marked';

/**
 * Warnings in a tip, written as GitHub's Markdown alerts:
 *
 *     > [!WARNING]
 *     > Pain and swelling in one leg may be a blood clot.
 *
 * `[!CAUTION]` and `[!IMPORTANT]` are taken as the same thing, so an editor who knows GitHub's
 * syntax is not surprised; each renders with the label "Important", apart from a plain quote
 * and from the "Try this tonight" box. `[!NOTE]` and `[!TIP]` are refused with a finding rather
 * than shown as a quote that starts with a stray "[!NOTE]". The marker is matched in any case,
 * as GitHub does.
 */
export const WARNING_MARKERS = ['WARNING', 'CAUTION', 'IMPORTANT'] as const;

/** What every warning is called where a reader sees it (HTML label; "IMPORTANT:" in text). */
export const WARNING_LABEL = 'Important';

/**
 * The warning's colours in the light scheme (email and site). Label and text are at least
 * 4.5:1 on the background; the edge is the site's "danger" red.
 */
export const WARNING_COLOURS = { background: '#fef3f2', border: '#f4c7c3', edge: '#b42318', label: '#b42318' } as const;

/** A plain quote: no fill, a grey rule at the left (3.7:1 on white, visible as a shape). */
export const QUOTE_RULE = '#7b8794';

const MARKER = /^\[!([A-Za-z]+)\][ \t]*(?:\r?\n|$)?/;

/** The marker word of a block quote whose first line is `[!WORD]`, upper-cased; else undefined. */
export function alertMarkerOf(quote: Pick<Tokens.Blockquote, 'text'>): string | undefined {
  return MARKER.exec(quote.text)?.[1]?.toUpperCase();
}

/** Whether a marker word is one this newsletter renders as a warning. */
export function isWarningMarker(word: string): boolean {
  return (WARNING_MARKERS as readonly string[]).includes(word.toUpperCase());
}

/** A block quote turned warning: its blocks without the marker line. */
export interface WarningToken {
  type: 'warning';
  raw: string;
  text: string;
  marker: string;
  tokens: Token[];
}

export interface AlertFinding {
  severity: 'error';
  check: 'alert';
  message: string;
  /** The block quote's source, to find its line. */
  raw: string;
}

export interface AlertOptions {
  /** Wraps a warning's rendered blocks (`body`) for the target: email (inline styles) or web (classes). */
  render(body: string): string;
  report(finding: AlertFinding): void;
}

/**
 * The marked extension: block quotes that start with a warning marker become `warning` tokens,
 * rendered by `options.render`. Everything inside is still the same safe Markdown.
 */
export function markedAlerts(options: AlertOptions): MarkedExtension {
  return {
    walkTokens(token) {
      if (token.type !== 'blockquote') return;
      const quote = token as Tokens.Blockquote;
      const marker = alertMarkerOf(quote);
      if (!marker) return;
      if (!isWarningMarker(marker)) {
        options.report({
          severity: 'error',
          check: 'alert',
          message: `"[!${marker}]" is not a kind of note this newsletter shows: write "> [!WARNING]" for a safety warning, or a plain ">" quote`,
          raw: quote.raw,
        });
        return;
      }
      const tokens = withoutMarker(quote.tokens);
      if (!tokens.some((t) => t.type !== 'space')) {
        options.report({
          severity: 'error',
          check: 'alert',
          message: `the "[!${marker}]" warning is empty: write the warning on the lines after it, each starting with ">"`,
          raw: quote.raw,
        });
      }
      // Turned in place: marked hands the same object to the renderer (and walks its children next).
      const warning = token as unknown as WarningToken;
      warning.type = 'warning';
      warning.marker = marker;
      warning.tokens = tokens;
    },
    extensions: [
      {
        name: 'warning',
        level: 'block',
        renderer(token) {
          return options.render(this.parser.parse((token as unknown as WarningToken).tokens));
        },
      },
    ],
  };
}

/** The quote's blocks with the `[!WARNING]` line taken off the first paragraph (or the paragraph, when that is all it held). */
function withoutMarker(tokens: Token[]): Token[] {
  const [first, ...rest] = tokens;
  if (first?.type !== 'paragraph') return tokens;
  const para = first as Tokens.Paragraph;
  const text = para.text.replace(MARKER, '');
  if (!text.trim()) return rest.filter((t, i) => i > 0 || t.type !== 'space');
  const lead = para.tokens[0];
  if (lead?.type === 'text' && MARKER.test(lead.raw)) {
    const t = lead as Tokens.Text;
    t.raw = t.raw.replace(MARKER, '');
    t.text = t.text.replace(MARKER, '');
    // An empty text token (the marker stood alone before an inline element) and a line break after it go.
    const inline = t.text ? para.tokens : para.tokens.slice(1);
    if (inline[0]?.type === 'br') inline.shift();
    para.tokens = inline;
  } else {
    // The marker was not one plain-text token (unusual): lex the rest of the line again.
    para.tokens = Lexer.lexInline(text, { gfm: true });
  }
  para.raw = para.raw.replace(MARKER, '');
  para.text = text;
  return [para, ...rest];
}
