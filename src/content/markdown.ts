import { Marked, type RendererObject, type Tokens } from 'marked';
import { markedAlerts, QUOTE_RULE, WARNING_COLOURS, WARNING_LABEL } from './alerts.ts';
import { escapeHtml } from './escape.ts';

// Kept here for callers that import it with the Markdown renderer; escape.ts is the light home.
export { escapeHtml };

/** A problem found while turning a tip's Markdown into HTML; `raw` locates it in the source. */
export interface MarkdownFinding {
  severity: 'error' | 'warning';
  check: string;
  message: string;
  raw: string;
}

export interface MarkdownResult {
  html: string;
  findings: MarkdownFinding[];
}

export interface MarkdownStyle {
  /** Colour for links in the email; checked for contrast elsewhere. */
  accent: string;
}

const TEXT = '#1f2933';

/**
 * Who reads the HTML. Email clients drop classes and style sheets, so the email's HTML carries
 * inline styles; the public site's Content-Security-Policy allows no inline style, so its HTML
 * carries classes that the site's style sheet styles, and nothing else.
 */
export type MarkdownTarget = { for: 'email'; accent: string } | { for: 'web' };

function isAllowedHref(href: string): boolean {
  return /^https:\/\/[^\s/]+\.[^\s]+/i.test(href) || /^mailto:[^\s@]+@[^\s@]+$/i.test(href);
}

/** Markdown → the email's HTML (inline styles). */
export function markdownToEmailHtml(markdown: string, style: MarkdownStyle): MarkdownResult {
  return markdownToHtml(markdown, { for: 'email', accent: style.accent });
}

/** Markdown → the public site's HTML: the same elements, classes instead of inline styles. */
export function markdownToWebHtml(markdown: string): MarkdownResult {
  return markdownToHtml(markdown, { for: 'web' });
}

/**
 * Markdown → HTML that email clients (or the site) render: raw HTML escaped rather than passed
 * through, links kept only when absolute https or mailto, images only with alt text. A block
 * quote is a quiet quote; a `> [!WARNING]` alert (see alerts.ts) is a warning labelled
 * "Important". For email every element carries inline styles (no classes to lose; the classes
 * it has are for the dark scheme); for the web none does.
 */
export function markdownToHtml(markdown: string, target: MarkdownTarget): MarkdownResult {
  const findings: MarkdownFinding[] = [];
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  const email = target.for === 'email';
  const rendering: Rendering = {
    email,
    accent: email ? escapeHtml(target.accent) : '',
    css: (style) => (email ? ` style="${style}"` : ''),
    findings,
  };
  marked.use({ renderer: { ...blockRenderer(rendering), ...checkedRenderer(rendering) } });
  marked.use(
    markedAlerts({
      render: (body) => (email ? emailWarning(body, rendering.accent) : webWarning(body)),
      report: (f) => findings.push(f),
    }),
  );

  const html = marked.parse(markdown) as string;
  return { html, findings };
}

/** What the element renderers share: who reads the HTML, and where problems found go. */
interface Rendering {
  email: boolean;
  /** The link colour, escaped; empty for the web. */
  accent: string;
  /** ` style="…"` for email, nothing for the web. */
  css: (style: string) => string;
  findings: MarkdownFinding[];
}

/** The blocks, which always render: headings, paragraphs, quotes, lists, code and rules. */
function blockRenderer({ email, css }: Rendering): RendererObject {
  return {
    heading({ tokens, depth }: Tokens.Heading) {
      const level = Math.min(Math.max(depth, 2), 3);
      const size = level === 2 ? 20 : 17;
      return `<h${level}${css(`margin:24px 0 8px;font-size:${size}px;line-height:1.3;color:${TEXT};font-weight:700;`)}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    paragraph({ tokens }: Tokens.Paragraph) {
      return `<p${css('margin:0 0 16px;')}>${this.parser.parseInline(tokens)}</p>\n`;
    },
    blockquote({ tokens }: Tokens.Blockquote) {
      // A quote, not a callout: no fill, a grey rule, so it cannot pass for a warning or the tonight box.
      if (!email) return `<blockquote class="quote">\n${this.parser.parse(tokens)}</blockquote>\n`;
      const inner = tightInside(this.parser.parse(tokens));
      return `<div class="quote" style="margin:0 0 16px;padding:2px 0 2px 16px;border-left:3px solid ${QUOTE_RULE};">${inner}</div>\n`;
    },
    list(token: Tokens.List) {
      const tag = token.ordered ? 'ol' : 'ul';
      const start = token.ordered && token.start !== 1 && token.start !== '' ? ` start="${Number(token.start)}"` : '';
      const items = token.items.map((item) => this.listitem(item)).join('');
      return `<${tag}${start}${css('margin:0 0 16px;padding-left:24px;')}>\n${items}</${tag}>\n`;
    },
    listitem(item: Tokens.ListItem) {
      const parsed = this.parser.parse(item.tokens);
      const inner = email ? parsed.replace(/<p style="margin:0 0 16px;">/g, '<p style="margin:0 0 4px;">') : parsed;
      const trimmed = item.loose ? inner : inner.replace(/^<p[^>]*>([\s\S]*)<\/p>\n?$/, '$1');
      return `<li${css('margin:0 0 6px;')}>${trimmed.trim()}</li>\n`;
    },
    code({ text }: Tokens.Code) {
      if (!email) return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
      return `<p style="margin:0 0 16px;font-family:monospace;white-space:pre-wrap;">${escapeHtml(text)}</p>\n`;
    },
    hr() {
      return `<hr${css('border:0;border-top:1px solid #d9e2ec;margin:24px 0;')}>\n`;
    },
  };
}

/** The elements an editor can get wrong: raw HTML, links and images, each reported as a finding. */
function checkedRenderer({ email, accent, css, findings }: Rendering): RendererObject {
  return {
    html(token: Tokens.HTML | Tokens.Tag) {
      findings.push({
        severity: 'warning',
        check: 'raw-html',
        message: 'raw HTML is shown as text, not rendered; use Markdown instead',
        raw: token.raw,
      });
      return escapeHtml(token.text);
    },
    link({ href, title, tokens, raw }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      if (!isAllowedHref(href)) {
        findings.push({
          severity: 'error',
          check: 'link',
          message: `link "${href}" must be an absolute https:// or mailto: address`,
          raw,
        });
        return text;
      }
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${t}${css(`color:${accent};text-decoration:underline;`)}>${text}</a>`;
    },
    image({ href, text, raw }: Tokens.Image) {
      if (!text.trim()) {
        findings.push({
          severity: 'error',
          check: 'image-alt',
          message: `image "${href}" needs alt text: write ![what the picture shows](${href})`,
          raw,
        });
      }
      if (!/^https:\/\//i.test(href)) {
        findings.push({
          severity: 'error',
          check: 'image-src',
          message: `image "${href}" must be an absolute https:// address`,
          raw,
        });
      }
      const size = email
        ? ` width="536" style="display:block;max-width:100%;height:auto;border:0;margin:0 0 16px;"`
        : '';
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${size}>`;
    },
  };
}

/** Blocks inside a box: closer together, and no space under the last (the box has its own padding). */
function tightInside(html: string): string {
  const tight = html.replace(/margin:0 0 16px;/g, 'margin:0 0 8px;');
  const last = tight.lastIndexOf('margin:0 0 8px;');
  return last < 0 ? tight : `${tight.slice(0, last)}margin:0;${tight.slice(last + 'margin:0 0 8px;'.length)}`;
}

/**
 * The email's warning: a red edge on a pale red fill, labelled "Important" (the classes are for
 * the dark scheme in layout.mjml.hbs and for the text part). Links inside take the text colour,
 * since a brand colour that passes on white may not on the fill.
 */
function emailWarning(body: string, accent: string): string {
  const w = WARNING_COLOURS;
  const inner = tightInside(body).replaceAll(`color:${accent};`, `color:${TEXT};`);
  return (
    `<div class="important" role="note" style="margin:0 0 16px;padding:12px 16px;background:${w.background};border:1px solid ${w.border};border-left:6px solid ${w.edge};">` +
    `<p class="important-label" style="margin:0 0 4px;font-size:14px;font-weight:700;letter-spacing:0.04em;text-transform:uppercase;color:${w.label};">${WARNING_LABEL}</p>${inner}</div>\n`
  );
}

/** The site's warning: the same parts, styled by the site's style sheet. */
function webWarning(body: string): string {
  return `<div class="important" role="note">\n<p class="important-label">${WARNING_LABEL}</p>\n${body}</div>\n`;
}

/** 1-based line of `raw` inside `source`, or undefined. */
export function lineOfRaw(source: string, raw: string): number | undefined {
  const at = source.indexOf(raw);
  return at < 0 ? undefined : source.slice(0, at).split('\n').length;
}
