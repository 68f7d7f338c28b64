/**
 * Tip and page bodies are rendered for email: every element carries inline styles. The site's
 * Content-Security-Policy allows no inline style, so they are taken off here and the site's
 * style sheet styles the same elements; the block-quote callout keeps its look through a class.
 * The markup is our own Markdown renderer's (attribute values escaped), so a pattern is exact.
 */
export function emailHtmlForWeb(html: string): string {
  return html.replace(/<div style="[^"]*border-left:[^"]*">/g, '<div class="callout">').replace(/ style="[^"]*"/g, '');
}
