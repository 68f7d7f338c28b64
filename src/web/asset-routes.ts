import type { FastifyInstance } from 'fastify';
import { faviconSvg, siteCss } from './assets.ts';

/** The stylesheet and the icon, in the series' colour, built once. */
export function registerAssetRoutes(app: FastifyInstance, brandColor: string): void {
  const css = siteCss(brandColor);
  app.get('/site.css', (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  const icon = faviconSvg(brandColor);
  app.get('/favicon.svg', (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon),
  );
  app.get('/favicon.ico', (_req, reply) => reply.redirect('/favicon.svg', 301));
}
