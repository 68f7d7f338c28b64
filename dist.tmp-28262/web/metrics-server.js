// ../../work/wt/h-studio/src/web/metrics-server.ts
import { createServer } from "node:http";
import { bearerMatches } from "./metrics-route.js";
var RETRY_AFTER_S = 120;
function answerHealth(ping, response) {
  const json = (status, ok, headers = {}) => response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers }).end(JSON.stringify({ ok }));
  ping().then(
    () => json(200, true),
    () => json(503, false, { "retry-after": String(RETRY_AFTER_S) })
  );
}
async function startMetricsServer(metrics, token, host, port, ping = () => Promise.resolve()) {
  const allowed = bearerMatches(token);
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method === "GET" && path === "/healthz") {
      answerHealth(ping, response);
      return;
    }
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found: this port serves GET /metrics and GET /healthz only.\n");
      return;
    }
    if (!allowed(request.headers.authorization)) {
      response.writeHead(401, {
        "www-authenticate": 'Bearer realm="metrics"',
        "cache-control": "no-store",
        "content-type": "text/plain; charset=utf-8"
      }).end("A bearer token is required.\n");
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body),
      () => response.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("The database did not answer; try again.\n")
    );
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const { address, port: bound } = server.address();
  return {
    address: `http://${address.includes(":") ? `[${address}]` : address}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
export {
  startMetricsServer
};
//# sourceMappingURL=metrics-server.js.map
