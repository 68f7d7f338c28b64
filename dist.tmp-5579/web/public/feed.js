// ../../work/wt/h-studio/src/web/public/feed.ts
var xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
var clean = (s) => xml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ""));
var atomDate = (day) => `${day}T00:00:00Z`;
function atomFeed(baseUrl, content) {
  const { series, tips, updated } = content;
  const days = tips.map((t) => updated[t.slug]).sort();
  const feedUpdated = atomDate(days.at(-1) ?? "1970-01-01");
  const entries = tips.map((t) => {
    const url = `${baseUrl}/tips/${encodeURIComponent(t.slug)}`;
    return `  <entry>
    <id>${clean(url)}</id>
    <title>${clean(`Week ${t.week}: ${t.title}`)}</title>
    <link rel="alternate" type="text/html" href="${clean(url)}"/>
    <updated>${atomDate(updated[t.slug])}</updated>
    <summary>${clean(t.preheader || t.title)}</summary>
  </entry>
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
${entries.join("")}</feed>
`;
}
export {
  atomFeed
};
//# sourceMappingURL=feed.js.map
