import { request } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HttpsProxy {
  /** `https://localhost:PORT`: the name the test certificate is for. */
  url: string;
  close(): Promise<void>;
}

/**
 * TLS in front of a plain-HTTP site on loopback, as the reverse proxy of docs/operations.md is in
 * production: each request passed through as it came (method, path, headers, body).
 */
export async function startHttpsProxy(target: string, tls: { key: string; cert: string }): Promise<HttpsProxy> {
  const to = new URL(target);
  const server = createServer(tls, (req, res) => {
    const upstream = request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
