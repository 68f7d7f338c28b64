import { Marked, type Tokens } from 'marked';
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
  /** Colour for links, headings and the callout's edge; checked for contrast elsewhere. */
  accent: string;
}

const TEXT = '#1f2933';
const CALLOUT_BG = '#f3f6f9';

function isAllowedHref(href: string): boolean {
  return /^https:\/\/[^\s/]+\.[^\s]+/i.test(href) || /^mailto:[^\s@]+@[^\s@]+$/i.test(href);
}

/**
 * Markdown → HTML that email clients render: inline styles only (no classes to lose), raw HTML
 * escaped rather than passed through, links kept only when absolute https or mailto, images
 * only with alt text. Block quotes become a highlighted callout.
 */
export function markdownToEmailHtml(markdown: string, style: MarkdownStyle): MarkdownResult {
  const findings: MarkdownFinding[] = [];
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  const a = escapeHtml(style.accent);

  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag) {
        findings.push({
          severity: 'warning',
          check: 'raw-html',
          message: 'raw HTML is shown as text, not rendered; use Markdown instead',
          raw: token.raw,
        });
        return escapeHtml(token.text);
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const level = Math.min(Math.max(depth, 2), 3);
        const size = level === 2 ? 20 : 17;
        return `<h${level} style="margin:24px 0 8px;font-size:${size}px;line-height:1.3;color:${TEXT};font-weight:700;">${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
      paragraph({ tokens }: Tokens.Paragraph) {
        return `<p style="margin:0 0 16px;">${this.parser.parseInline(tokens)}</p>\n`;
      },
      blockquote({ tokens }: Tokens.Blockquote) {
        const inner = this.parser.parse(tokens).replace(/margin:0 0 16px;/g, 'margin:0 0 8px;');
        return `<div class="quote" style="margin:0 0 16px;padding:12px 16px;background:${CALLOUT_BG};border-left:4px solid ${a};">${inner}</div>\n`;
      },
      list(token: Tokens.List) {
        const tag = token.ordered ? 'ol' : 'ul';
        const start = token.ordered && token.start !== 1 && token.start !== '' ? ` start="${Number(token.start)}"` : '';
        const items = token.items.map((item) => this.listitem(item)).join('');
        return `<${tag}${start} style="margin:0 0 16px;padding-left:24px;">\n${items}</${tag}>\n`;
      },
      listitem(item: Tokens.ListItem) {
        const inner = this.parser.parse(item.tokens).replace(/<p style="margin:0 0 16px;">/g, '<p style="margin:0 0 4px;">');
        const trimmed = item.loose ? inner : inner.replace(/^<p[^>]*>([\s\S]*)<\/p>\n?$/, '$1');
        return `<li style="margin:0 0 6px;">${trimmed.trim()}</li>\n`;
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
        return `<a href="${escapeHtml(href)}"${t} style="color:${a};text-decoration:underline;">${text}</a>`;
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
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}" width="536" style="display:block;max-width:100%;height:auto;border:0;margin:0 0 16px;">`;
      },
      code({ text }: Tokens.Code) {
        return `<p style="margin:0 0 16px;font-family:monospace;white-space:pre-wrap;">${escapeHtml(text)}</p>\n`;
      },
      hr() {
        return `<hr style="border:0;border-top:1px solid #d9e2ec;margin:24px 0;">\n`;
      },
    },
  });

  const html = marked.parse(markdown) as string;
  return { html, findings };
}

/** 1-based line of `raw` inside `source`, or undefined. */
export function lineOfRaw(source: string, raw: string): number | undefined {
  const at = source.indexOf(raw);
  return at < 0 ? undefined : source.slice(0, at).split('\n').length;
}
