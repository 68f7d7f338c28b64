import type { FastifyInstance } from 'fastify';
import type { Tip } from '../../content/index.ts';
import type { ReaderDataReport } from '../../store/reader-data.ts';
import type { SafeHtml } from '../html.ts';
import type { SubscribeFormState } from '../pages.ts';
import { aboutPage } from './about.ts';
import { siteAssets } from './assets.ts';
import type { ContentSource } from './content.ts';
import { atomFeed } from './feed.ts';
import { helpPage } from './help.ts';
import { homePage } from './home.ts';
import type { SiteInfo } from './layout.ts';
import { privacyPage } from './privacy.ts';
import { robotsTxt, sitemapXml } from './sitemap.ts';
import { archivePage, tipPage } from './tips.ts';

export interface PublicRouteDeps {
  /** NEWSLETTER_BASE_URL: canonical addresses, the feed's and the sitemap's absolute links. */
  baseUrl: string;
  content: ContentSource;
  /** What the store keeps about readers, read once from the live database (store/reader-data.ts). */
  readerData(): Promise<ReaderDataReport>;
  /**
   * Shown under a tip's text on its page (issue 15 puts its "Did this help?" block here).
   * Called once per tip per content change, like the rest of the page.
   */
  afterTip?: (tip: Tip) => SafeHtml;
}

/** Routes reached from personal links: each says `noindex` in its page, and in a header for crawlers that read only headers. */
const PERSONAL = new Set(['/confirm', '/unsubscribe', '/preferences', '/feedback']);

/** Public pages change only with the content: a minute in a browser's or proxy's cache is safe. */
const PAGE_CACHE = 'public, max-age=60';

/**
 * The public pages: start page, archive, tips, help, about, privacy, feed, sitemap, robots.txt.
 * Each is rendered once per content version and then served from memory.
 */
export function registerPublicRoutes(
  app: FastifyInstance,
  deps: PublicRouteDeps,
): { home(state: SubscribeFormState): string } {
  const { content, baseUrl } = deps;
  const rendered = new Map<string, string>();
  let version = content.version();
  const site = (): SiteInfo => ({ series: content.current().series, baseUrl });
  /** The page for `key`, made at most once per content version. */
  const once = (key: string, make: () => string): string => {
    if (content.version() !== version) {
      rendered.clear();
      version = content.version();
    }
    let page = rendered.get(key);
    if (page === undefined) {
      page = make();
      rendered.set(key, page);
    }
    return page;
  };
  let readerData: Promise<ReaderDataReport> | undefined;

  app.addHook('onSend', async (request, reply) => {
    if (PERSONAL.has(request.routeOptions.url ?? '')) reply.header('x-robots-tag', 'noindex, nofollow');
  });

  app.get<{ Params: { file: string } }>('/assets/:file', (request, reply) => {
    const assets = siteAssets(content.current().series);
    const asset = [assets.css, assets.icon].find((a) => a.path === `/assets/${request.params.file}`);
    if (!asset) return reply.callNotFound();
    // The hash is in the name: a new version is a new address, so this one never changes.
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });

  const page = (path: string, key: string, make: () => string) =>
    app.get(path, (_request, reply) =>
      reply.header('cache-control', PAGE_CACHE).type('text/html; charset=utf-8').send(once(key, make)),
    );
  page('/', 'home', () => homePage(site(), content.current()));
  page('/tips', 'archive', () => archivePage(site(), content.current()));
  page('/help', 'help', () => helpPage(site(), content.current()));
  page('/about', 'about', () => aboutPage(site(), content.current()));

  app.get<{ Params: { slug: string } }>('/tips/:slug', (request, reply) => {
    const current = content.current();
    // Only published tips are in `tips`: a draft's slug is as unknown as a made-up one.
    const tip = current.tips.find((t) => t.slug === request.params.slug);
    if (!tip) return reply.callNotFound();
    const html = once(`tip:${tip.slug}`, () => tipPage(site(), current, tip, deps.afterTip?.(tip)));
    return reply.header('cache-control', PAGE_CACHE).type('text/html; charset=utf-8').send(html);
  });

  app.get('/privacy', async (_request, reply) => {
    // Read once: the columns change only with a migration, which needs a restart anyway.
    readerData ??= deps.readerData().catch((e: unknown) => {
      readerData = undefined;
      throw e;
    });
    const data = await readerData;
    return reply
      .header('cache-control', PAGE_CACHE)
      .type('text/html; charset=utf-8')
      .send(once('privacy', () => privacyPage(site(), content.current(), data)));
  });

  app.get('/feed.xml', (_request, reply) =>
    reply
      .header('cache-control', PAGE_CACHE)
      .type('application/atom+xml; charset=utf-8')
      .send(once('feed', () => atomFeed(baseUrl, content.current()))),
  );
  app.get('/sitemap.xml', (_request, reply) =>
    reply
      .header('cache-control', PAGE_CACHE)
      .type('application/xml; charset=utf-8')
      .send(once('sitemap', () => sitemapXml(baseUrl, content.current()))),
  );
  app.get('/robots.txt', (_request, reply) =>
    reply.header('cache-control', PAGE_CACHE).type('text/plain; charset=utf-8').send(robotsTxt(baseUrl)),
  );

  return { home: (state) => homePage(site(), content.current(), state) };
}
