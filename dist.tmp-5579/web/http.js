// ../../work/wt/h-studio/src/web/http.ts
function field(body, name) {
  if (!body || typeof body !== "object") return void 0;
  const v = body[name];
  return typeof v === "string" ? v : void 0;
}
function query(request) {
  return request.query ?? {};
}
function wantsJson(request) {
  if ((request.headers["content-type"] ?? "").includes("application/json")) return true;
  const accept = request.headers.accept ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}
function sendPage(reply, status, page) {
  return reply.code(status).type("text/html; charset=utf-8").send(page);
}
export {
  field,
  query,
  sendPage,
  wantsJson
};
//# sourceMappingURL=http.js.map
