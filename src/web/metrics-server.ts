import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';
import { bearerMatches } from './metrics-route.ts';

export interface MetricsServer {
  /** `http://host:port`, where it listens. */
  address: string;
  close(): Promise<void>;
}

/** Seconds a health check is asked to wait after a 503: the same as the site's /healthz. */
const RETRY_AFTER_S = 120;

/**
 * GET /healthz as the site answers it: 200 `{"ok":true}` while `ping` resolves (the database
 * answers and can take a write), 503 with Retry-After otherwise. No token: a container's health
 * check or a process manager asks it, and it tells nothing about the list.
 */
function answerHealth(ping: () => Promise<void>, response: ServerResponse): void {
  const json = (status: number, ok: boolean, headers: Record<string, string> = {}) =>
    response
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
      .end(JSON.stringify({ ok }));
  ping().then(
    () => json(200, true),
    () => json(503, false, { 'retry-after': String(RETRY_AFTER_S) }),
  );
}

/**
 * GET /metrics and GET /healthz on their own port, for a `--role sender` process: it serves no
 * public site, yet its pass counters live only in it, and a supervisor needs to ask whether it
 * can still reach its database. Plain node:http, so a sender still never loads Fastify; the same
 * bearer check and exposition as the site's route. Everything else is 404.
 */
export async function startMetricsServer(
  metrics: Pick<Metrics, 'scrape'>,
  token: string,
  host: string,
  port: number,
  /** What /healthz asks; without it /healthz says only that the process answers. */
  ping: () => Promise<void> = () => Promise.resolve(),
): Promise<MetricsServer> {
  const allowed = bearerMatches(token);
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      answerHealth(ping, response);
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found: this port serves GET /metrics and GET /healthz only.\n');
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
