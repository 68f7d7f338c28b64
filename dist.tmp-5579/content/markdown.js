// ../../work/wt/h-studio/src/content/markdown.ts
import { Marked } from "marked";
import { markedAlerts, QUOTE_RULE, WARNING_COLOURS, WARNING_LABEL } from "./alerts.js";
import { escapeHtml } from "./escape.js";
var TEXT = "#1f2933";
function isAllowedHref(href) {
  return /^https:\/\/[^\s/]+\.[^\s]+/i.test(href) || /^mailto:[^\s@]+@[^\s@]+$/i.test(href);
}
function markdownToEmailHtml(markdown, style) {
  return markdownToHtml(markdown, { for: "email", accent: style.accent });
}
function markdownToWebHtml(markdown) {
  return markdownToHtml(markdown, { for: "web" });
}
function markdownToHtml(markdown, target) {
  const findings = [];
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  const email = target.for === "email";
  const rendering = {
    email,
    accent: email ? escapeHtml(target.accent) : "",
    css: (style) => email ? ` style="${style}"` : "",
    findings
  };
  marked.use({ renderer: { ...blockRenderer(rendering), ...checkedRenderer(rendering) } });
  marked.use(
    markedAlerts({
      render: (body) => email ? emailWarning(body, rendering.accent) : webWarning(body),
      report: (f) => findings.push(f)
    })
  );
  const html = marked.parse(markdown);
  return { html, findings };
}
function blockRenderer({ email, css }) {
  return {
    heading({ tokens, depth }) {
      const level = Math.min(Math.max(depth, 2), 3);
      const size = level === 2 ? 20 : 17;
      return `<h${level}${css(`margin:24px 0 8px;font-size:${size}px;line-height:1.3;color:${TEXT};font-weight:700;`)}>${this.parser.parseInline(tokens)}</h${level}>
`;
    },
    paragraph({ tokens }) {
      return `<p${css("margin:0 0 16px;")}>${this.parser.parseInline(tokens)}</p>
`;
    },
    blockquote({ tokens }) {
      if (!email) return `<blockquote class="quote">
${this.parser.parse(tokens)}</blockquote>
`;
      const inner = tightInside(this.parser.parse(tokens));
      return `<div class="quote" style="margin:0 0 16px;padding:2px 0 2px 16px;border-left:3px solid ${QUOTE_RULE};">${inner}</div>
`;
    },
    list(token) {
      const tag = token.ordered ? "ol" : "ul";
      const start = token.ordered && token.start !== 1 && token.start !== "" ? ` start="${Number(token.start)}"` : "";
      const items = token.items.map((item) => this.listitem(item)).join("");
      return `<${tag}${start}${css("margin:0 0 16px;padding-left:24px;")}>
${items}</${tag}>
`;
    },
    listitem(item) {
      const parsed = this.parser.parse(item.tokens);
      const inner = email ? parsed.replace(/<p style="margin:0 0 16px;">/g, '<p style="margin:0 0 4px;">') : parsed;
      const trimmed = item.loose ? inner : inner.replace(/^<p[^>]*>([\s\S]*)<\/p>\n?$/, "$1");
      return `<li${css("margin:0 0 6px;")}>${trimmed.trim()}</li>
`;
    },
    code({ text }) {
      if (!email) return `<pre><code>${escapeHtml(text)}</code></pre>
`;
      return `<p style="margin:0 0 16px;font-family:monospace;white-space:pre-wrap;">${escapeHtml(text)}</p>
`;
    },
    hr() {
      return `<hr${css("border:0;border-top:1px solid #d9e2ec;margin:24px 0;")}>
`;
    }
  };
}
function checkedRenderer({ email, accent, css, findings }) {
  return {
    html(token) {
      findings.push({
        severity: "warning",
        check: "raw-html",
        message: "raw HTML is shown as text, not rendered; use Markdown instead",
        raw: token.raw
      });
      return escapeHtml(token.text);
    },
    link({ href, title, tokens, raw }) {
      const text = this.parser.parseInline(tokens);
      if (!isAllowedHref(href)) {
        findings.push({
          severity: "error",
          check: "link",
          message: `link "${href}" must be an absolute https:// or mailto: address`,
          raw
        });
        return text;
      }
      const t = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(href)}"${t}${css(`color:${accent};text-decoration:underline;`)}>${text}</a>`;
    },
    image({ href, text, raw }) {
      if (!text.trim()) {
        findings.push({
          severity: "error",
          check: "image-alt",
          message: `image "${href}" needs alt text: write ![what the picture shows](${href})`,
          raw
        });
      }
      if (!/^https:\/\//i.test(href)) {
        findings.push({
          severity: "error",
          check: "image-src",
          message: `image "${href}" must be an absolute https:// address`,
          raw
        });
      }
      const size = email ? ` width="536" style="display:block;max-width:100%;height:auto;border:0;margin:0 0 16px;"` : "";
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${size}>`;
    }
  };
}
function tightInside(html) {
  const tight = html.replace(/margin:0 0 16px;/g, "margin:0 0 8px;");
  const last = tight.lastIndexOf("margin:0 0 8px;");
  return last < 0 ? tight : `${tight.slice(0, last)}margin:0;${tight.slice(last + "margin:0 0 8px;".length)}`;
}
function emailWarning(body, accent) {
  const w = WARNING_COLOURS;
  const inner = tightInside(body).replaceAll(`color:${accent};`, `color:${TEXT};`);
  return `<div class="important" role="note" style="margin:0 0 16px;padding:12px 16px;background:${w.background};border:1px solid ${w.border};border-left:6px solid ${w.edge};"><p class="important-label" style="margin:0 0 4px;font-size:14px;font-weight:700;letter-spacing:0.04em;text-transform:uppercase;color:${w.label};">${WARNING_LABEL}</p>${inner}</div>
`;
}
function webWarning(body) {
  return `<div class="important" role="note">
<p class="important-label">${WARNING_LABEL}</p>
${body}</div>
`;
}
function lineOfRaw(source, raw) {
  const at = source.indexOf(raw);
  return at < 0 ? void 0 : source.slice(0, at).split("\n").length;
}
export {
  escapeHtml,
  lineOfRaw,
  markdownToEmailHtml,
  markdownToHtml,
  markdownToWebHtml
};
//# sourceMappingURL=markdown.js.map
