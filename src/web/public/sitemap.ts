import type { PublicContent } from './content.ts';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The pages anyone may find: never a draft, never a page reached by a personal link. */
export function publicPaths(content: PublicContent): { path: string; lastmod?: string }[] {
  return [
    { path: '/' },
    { path: '/tips' },
    ...content.tips.map((t) => ({ path: `/tips/${encodeURIComponent(t.slug)}`, lastmod: content.updated[t.slug]! })),
    {
      path: '/help',
      ...(content.pages.find((p) => p.name === 'help')
        ? { lastmod: content.pages.find((p) => p.name === 'help')!.reviewed }
        : {}),
    },
    { path: '/about' },
    { path: '/privacy' },
  ];
}

export function sitemapXml(baseUrl: string, content: PublicContent): string {
  const urls = publicPaths(content).map(
    (p) => `  <url><loc>${xml(baseUrl + p.path)}</loc>${p.lastmod ? `<lastmod>${p.lastmod}</lastmod>` : ''}</url>\n`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('')}</urlset>\n`;
}

/**
 * Crawlers may fetch everything: the personal pages (confirm, unsubscribe, preferences,
 * feedback) say `noindex` themselves, which a crawler can only read if it may fetch them.
 */
export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${baseUrl}/sitemap.xml\n`;
}
