// ../../work/wt/h-studio/src/web/asset-routes.ts
import { faviconSvg, siteCss } from "./assets.js";
function registerAssetRoutes(app, brandColor) {
  const css = siteCss(brandColor);
  app.get(
    "/site.css",
    (_req, reply) => reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(css)
  );
  const icon = faviconSvg(brandColor);
  app.get(
    "/favicon.svg",
    (_req, reply) => reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(icon)
  );
  app.get("/favicon.ico", (_req, reply) => reply.redirect("/favicon.svg", 301));
}
export {
  registerAssetRoutes
};
//# sourceMappingURL=asset-routes.js.map
