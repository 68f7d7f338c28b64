// ../../work/wt/h-studio/src/web/error-handlers.ts
import { sendPage, wantsJson } from "./http.js";
import { errorPage } from "./pages.js";
function failureMessage(status, bodyBytes) {
  if (status === 413)
    return `That was too much data (at most ${Math.round(bodyBytes / 1024)} KB). Please send the form again.`;
  if (status === 415) return "Please send the form, or JSON with Content-Type: application/json.";
  if (status < 500) return "The request could not be read. Please send the form again.";
  return "Something went wrong on our side. Please try again in a minute.";
}
function registerErrorHandlers(app, ctx, bodyBytes, log) {
  app.setErrorHandler((error, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500)
      log(`${request.method} ${request.routeOptions.url ?? "?"} failed: ${error.message ?? String(error)}`);
    const message = failureMessage(status, bodyBytes);
    if (wantsJson(request)) return reply.code(status).send({ ok: false, error: error.code ?? "error", message });
    return sendPage(
      reply,
      status,
      errorPage(ctx, status < 500 ? "That did not work" : "Sorry, something went wrong", message, false)
    );
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request)) return reply.code(404).send({ ok: false, error: "not-found", message: "No such page." });
    return sendPage(reply, 404, errorPage(ctx, "Page not found", "There is no page at this address.", false));
  });
}
export {
  registerErrorHandlers
};
//# sourceMappingURL=error-handlers.js.map
