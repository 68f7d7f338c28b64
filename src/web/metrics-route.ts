import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether an Authorization header carries `token` as a bearer token. The tokens are compared as
 * digests in constant time: equal lengths, and nothing learnt from timing.
 */
export function bearerMatches(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return Boolean(m) && timingSafeEqual(digest(m![1]!), expected);
  };
}

/** GET /metrics, for a scraper holding `token` as a bearer token; 401 for anyone else. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Pick<Metrics, 'scrape'>, token: string): void {
  const allowed = bearerMatches(token);
  app.get('/metrics', async (request, reply) => {
    if (!allowed(request.headers.authorization)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('A bearer token is required.\n');
    }
    const { contentType, body } = await metrics.scrape();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
