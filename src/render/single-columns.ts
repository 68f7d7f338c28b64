/**
 * Drops markup MJML writes for layouts this newsletter does not have, once per compiled email,
 * after compactHtml. Every email here is one column, 600 px wide; MJML still wraps each
 * section's one full-width column in the scaffolding that lets several columns sit side by side
 * and stack on a phone: an Outlook table cell, an inline-block `div`, a table and a cell. Around
 * a single full-width column with no padding, background, border or class of its own, that is
 * about 500 bytes a section which draw nothing, in any client:
 *
 * - a browser lays the inline-block `div` (width 100%, in a cell whose font-size is 0) out as
 *   the block it holds, and the cell with `padding:0` adds nothing;
 * - Outlook's Word engine already gets the section's width from the section's own conditional
 *   table (600 px, kept), and its inner column table only repeated it.
 *
 * What stays is the column's content table, in the section's cell. A column with a class,
 * padding, background or border (the "Try this tonight" callout) is left as MJML wrote it, and
 * so is any markup this does not recognise exactly: a different MJML version's output is left
 * alone, never half-changed.
 *
 * Also dropped: `<tbody>` tags (an HTML parser, and Outlook's, puts the same row group there
 * when they are missing) and empty `style=""` attributes.
 *
 * The screenshot test (tests/render/compact-html.browser.test.ts) holds every email pixel for
 * pixel to the old templates' output in Chromium.
 */
export function unwrapSingleColumns(html: string): string {
  let out = html;
  let from = 0;
  for (;;) {
    const start = out.indexOf(COLUMN_OPEN, from);
    if (start < 0) break;
    const replaced = unwrapAt(out, start);
    if (replaced === null) {
      from = start + COLUMN_OPEN.length;
      continue;
    }
    out = replaced;
    from = start;
  }
  return dropUnusedColumnCss(dropEmptyMarkup(out));
}

/**
 * MJML's column CSS (the phone/desktop width rule, and Outlook 2003's group fix), once no column
 * is left to use it: the style blocks that hold only those rules.
 */
function dropUnusedColumnCss(html: string): string {
  const body = html.slice(html.search(/<body\b/i));
  let out = html;
  if (!body.includes('mj-column-per-100'))
    out = out.replace(/<style\b[^>]*>([^<]*)<\/style>/gi, (block, css: string) =>
      /^(?:@media[^{]*\{)?(?:\.moz-text-html )?\.mj-column-per-100\{[^{}]*\}\}?$/.test(css.trim()) ? '' : block,
    );
  if (!body.includes('mj-outlook-group-fix'))
    out = out.replace(
      /<!--\[if lte mso 11\]><style type="text\/css">\s*\.mj-outlook-group-fix\s*\{[^{}]*\}\s*<\/style><!\[endif\]-->/,
      '',
    );
  return out;
}

/** Outlook's column cell, the column and its padding cell, as MJML 5 writes a plain full-width column (compacted). */
const COLUMN_OPEN =
  '<!--[if mso | IE]><table role="presentation" border="0" cellpadding="0" cellspacing="0"><tr><td class="" style="vertical-align:top;width:600px;" ><![endif]-->' +
  '<div class="mj-column-per-100 mj-outlook-group-fix" style="font-size:0px;text-align:left;direction:ltr;display:inline-block;vertical-align:top;width:100%;">' +
  '<table border="0" cellpadding="0" cellspacing="0" role="presentation" width="100%"><tbody><tr><td style="vertical-align:top;padding:0;">';

/** What closes the padding cell, its table, the column and Outlook's column cell. */
const COLUMN_INNER_CLOSE = '</td></tr></tbody></table>';
const COLUMN_CLOSE = '</div><!--[if mso | IE]></td></tr></table><![endif]-->';

/** The email with the column at `start` replaced by its content table, or null when its end is not what MJML writes. */
function unwrapAt(html: string, start: number): string | null {
  const contentStart = start + COLUMN_OPEN.length;
  // The column's own `</div>`: the first one that closes more divs than the content opened.
  const tags = /<!--[\s\S]*?-->|<(\/?)div\b[^>]*>/gi;
  tags.lastIndex = contentStart;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = tags.exec(html))) {
    if (m[0].startsWith('<!--')) continue;
    if (m[1] === '') depth++;
    else if (depth > 0) depth--;
    else break;
  }
  if (!m) return null;
  const divClose = m.index;
  const contentEnd = divClose - COLUMN_INNER_CLOSE.length;
  if (html.slice(contentEnd, divClose) !== COLUMN_INNER_CLOSE) return null;
  if (!html.startsWith(COLUMN_CLOSE, divClose)) return null;
  return html.slice(0, start) + html.slice(contentStart, contentEnd) + html.slice(divClose + COLUMN_CLOSE.length);
}

/**
 * `<tbody>`/`</tbody>` without attributes and `style=""`, outside comments (Outlook's conditional
 * comments are left exactly as written).
 */
function dropEmptyMarkup(html: string): string {
  return html.replace(/<!--[\s\S]*?-->|<\/?tbody>| style=""/g, (token) => (token.startsWith('<!--') ? token : ''));
}
