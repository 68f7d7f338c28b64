import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';
import { bearerMatches } from './metrics-route.ts';

export interface MetricsServer {
  /** `http://host:port`, where it listens. */
  address: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on its own port, for a `--role sender` process: it serves no public site, yet its
 * pass counters live only in it. Plain node:http, so a sender still never loads Fastify; the same
 * bearer check and exposition as the site's route. Everything else is 404.
 */
export async function startMetricsServer(
  metrics: Pick<Metrics, 'scrape'>,
  token: string,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const allowed = bearerMatches(token);
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found: this port serves GET /metrics only.\n');
      return;
    }
    if (!allowed(request.headers.authorization)) {
      response
        .writeHead(401, {
          'www-authenticate': 'Bearer realm="metrics"',
          'cache-control': 'no-store',
          'content-type': 'text/plain; charset=utf-8',
        })
        .end('A bearer token is required.\n');
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) =>
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () =>
        response
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('The database did not answer; try again.\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return {
    address: `http://${address.includes(':') ? `[${address}]` : address}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
