import { escapeHtml } from '../../content/escape.ts';
import { newestFirst, type Tip } from '../../content/index.ts';
import type { PublicContent } from './content.ts';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// XML 1.0 forbids most control characters even escaped; editors' text never needs them.
// eslint-disable-next-line no-control-regex
const clean = (s: string) => xml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));

const atomDate = (day: string) => `${day}T00:00:00Z`;

/**
 * A corrected tip's entry carries its notes, newest first, so a feed reader that shows the
 * entry as updated also shows why (escaped once as HTML, then once as XML).
 */
function correctionContent(tip: Tip): string {
  if (tip.corrections.length === 0) return '';
  const notes = newestFirst(tip.corrections).map(
    (c) => `<p><strong>Corrected ${escapeHtml(c.date)}:</strong> ${escapeHtml(c.text)}</p>`,
  );
  return `    <content type="html">${clean(`${notes.join('')}<p>${escapeHtml(tip.preheader || tip.title)}</p>`)}</content>
`;
}

/**
 * An Atom feed (RFC 4287) of the published tips: absolute links from the base URL, each entry's
 * id its permanent page address, `updated` the tip's review date (or its file's date) or its latest
 * correction's, whichever is later.
 */
export function atomFeed(baseUrl: string, content: PublicContent): string {
  const { series, tips, updated } = content;
  const days = tips.map((t) => updated[t.slug]!).sort();
  const feedUpdated = atomDate(days.at(-1) ?? '1970-01-01');
  const entries = tips.map((t) => {
    const url = `${baseUrl}/tips/${encodeURIComponent(t.slug)}`;
    return `  <entry>
    <id>${clean(url)}</id>
    <title>${clean(`Week ${t.week}: ${t.title}`)}</title>
    <link rel="alternate" type="text/html" href="${clean(url)}"/>
    <updated>${atomDate(updated[t.slug]!)}</updated>
    <summary>${clean(t.preheader || t.title)}</summary>
${correctionContent(t)}  </entry>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${clean(series.language)}">
  <id>${clean(`${baseUrl}/`)}</id>
  <title>${clean(series.name)}</title>
  <subtitle>${clean(series.tagline)}</subtitle>
  <link rel="self" type="application/atom+xml" href="${clean(`${baseUrl}/feed.xml`)}"/>
  <link rel="alternate" type="text/html" href="${clean(`${baseUrl}/tips`)}"/>
  <updated>${feedUpdated}</updated>
  <author><name>${clean(series.from.name)}</name></author>
${entries.join('')}</feed>
`;
}
