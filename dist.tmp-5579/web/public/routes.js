// ../../work/wt/h-studio/src/web/public/routes.ts
import { aboutPage } from "./about.js";
import { siteAssets } from "./assets.js";
import { atomFeed } from "./feed.js";
import { helpPage } from "./help.js";
import { homePage } from "./home.js";
import { privacyPage } from "./privacy.js";
import { robotsTxt, sitemapXml } from "./sitemap.js";
import { archivePage, tipPage } from "./tips.js";
var PERSONAL = /* @__PURE__ */ new Set(["/confirm", "/unsubscribe", "/preferences", "/feedback"]);
var PAGE_CACHE = "public, max-age=60";
function registerPublicRoutes(app, deps) {
  const { content, baseUrl } = deps;
  const rendered = /* @__PURE__ */ new Map();
  let version = content.version();
  const site = () => ({ series: content.current().series, baseUrl });
  const once = (key, make) => {
    if (content.version() !== version) {
      rendered.clear();
      version = content.version();
    }
    let page2 = rendered.get(key);
    if (page2 === void 0) {
      page2 = make();
      rendered.set(key, page2);
    }
    return page2;
  };
  let readerData;
  app.addHook("onSend", async (request, reply) => {
    if (PERSONAL.has(request.routeOptions.url ?? "")) reply.header("x-robots-tag", "noindex, nofollow");
  });
  app.get("/assets/:file", (request, reply) => {
    const assets = siteAssets(content.current().series);
    const asset = [assets.css, assets.icon].find((a) => a.path === `/assets/${request.params.file}`);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header("cache-control", "public, max-age=31536000, immutable").send(asset.body);
  });
  const page = (path, key, make) => app.get(
    path,
    (_request, reply) => reply.header("cache-control", PAGE_CACHE).type("text/html; charset=utf-8").send(once(key, make))
  );
  page("/", "home", () => homePage(site(), content.current()));
  page("/tips", "archive", () => archivePage(site(), content.current()));
  page("/help", "help", () => helpPage(site(), content.current()));
  page("/about", "about", () => aboutPage(site(), content.current()));
  app.get("/tips/:slug", (request, reply) => {
    const current = content.current();
    const tip = current.tips.find((t) => t.slug === request.params.slug);
    if (!tip) return reply.callNotFound();
    const html = once(`tip:${tip.slug}`, () => tipPage(site(), current, tip, deps.afterTip?.(tip)));
    return reply.header("cache-control", PAGE_CACHE).type("text/html; charset=utf-8").send(html);
  });
  app.get("/privacy", async (_request, reply) => {
    readerData ??= deps.readerData().catch((e) => {
      readerData = void 0;
      throw e;
    });
    const data = await readerData;
    return reply.header("cache-control", PAGE_CACHE).type("text/html; charset=utf-8").send(once("privacy", () => privacyPage(site(), content.current(), data)));
  });
  app.get(
    "/feed.xml",
    (_request, reply) => reply.header("cache-control", PAGE_CACHE).type("application/atom+xml; charset=utf-8").send(once("feed", () => atomFeed(baseUrl, content.current())))
  );
  app.get(
    "/sitemap.xml",
    (_request, reply) => reply.header("cache-control", PAGE_CACHE).type("application/xml; charset=utf-8").send(once("sitemap", () => sitemapXml(baseUrl, content.current())))
  );
  app.get(
    "/robots.txt",
    (_request, reply) => reply.header("cache-control", PAGE_CACHE).type("text/plain; charset=utf-8").send(robotsTxt(baseUrl))
  );
  return { home: (state) => homePage(site(), content.current(), state) };
}
export {
  registerPublicRoutes
};
//# sourceMappingURL=routes.js.map
