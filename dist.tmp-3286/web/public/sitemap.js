// ../../work/wt/h-studio/src/web/public/sitemap.ts
var xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
function publicPaths(content) {
  return [
    { path: "/" },
    { path: "/tips" },
    ...content.tips.map((t) => ({ path: `/tips/${encodeURIComponent(t.slug)}`, lastmod: content.updated[t.slug] })),
    {
      path: "/help",
      ...content.pages.find((p) => p.name === "help") ? { lastmod: content.pages.find((p) => p.name === "help").reviewed } : {}
    },
    { path: "/about" },
    { path: "/privacy" }
  ];
}
function sitemapXml(baseUrl, content) {
  const urls = publicPaths(content).map(
    (p) => `  <url><loc>${xml(baseUrl + p.path)}</loc>${p.lastmod ? `<lastmod>${p.lastmod}</lastmod>` : ""}</url>
`
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join("")}</urlset>
`;
}
function robotsTxt(baseUrl) {
  return `User-agent: *
Allow: /

Sitemap: ${baseUrl}/sitemap.xml
`;
}
export {
  publicPaths,
  robotsTxt,
  sitemapXml
};
//# sourceMappingURL=sitemap.js.map
