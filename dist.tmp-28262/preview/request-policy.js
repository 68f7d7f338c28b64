// ../../work/wt/h-studio/src/preview/request-policy.ts
var LOOPBACK = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
function applyRequestPolicy(app, host) {
  const loopbackOnly = LOOPBACK.has(host) || /^127\./.test(host);
  app.addHook("onRequest", async (request, reply) => {
    const hostname = (request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    if (loopbackOnly && !LOOPBACK.has(hostname))
      return reply.code(421).type("text/plain").send("The studio answers on 127.0.0.1 or localhost only.");
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("Cache-Control", "no-store");
    reply.header(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    );
  });
  app.setErrorHandler((error, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? "the studio could not answer this request" : "bad request" });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: "no such page" }));
}
export {
  applyRequestPolicy
};
//# sourceMappingURL=request-policy.js.map
