// ../../work/wt/h-studio/src/web/metrics-route.ts
import { createHash, timingSafeEqual } from "node:crypto";
var digest = (s) => createHash("sha256").update(s).digest();
function bearerMatches(token) {
  const expected = digest(token);
  return (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    return Boolean(m) && timingSafeEqual(digest(m[1]), expected);
  };
}
function registerMetricsRoute(app, metrics, token) {
  const allowed = bearerMatches(token);
  app.get("/metrics", async (request, reply) => {
    if (!allowed(request.headers.authorization)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').header("cache-control", "no-store").type("text/plain; charset=utf-8").send("A bearer token is required.\n");
    }
    const { contentType, body } = await metrics.scrape();
    return reply.header("cache-control", "no-store").type(contentType).send(body);
  });
}
export {
  bearerMatches,
  registerMetricsRoute
};
//# sourceMappingURL=metrics-route.js.map
