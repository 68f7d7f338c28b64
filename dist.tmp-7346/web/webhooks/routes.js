// ../../work/wt/h-studio/src/web/webhooks/routes.ts
import {
  receiveMailgun,
  receivePostmark
} from "../../bounces/webhooks/receive.js";
var WEBHOOK_BODY_BYTES = 512 * 1024;
function registerWebhookRoutes(app, deps) {
  const bounceDeps = { store: deps.store, secret: deps.secret, previousSecrets: deps.previousSecrets };
  const answer = (provider, a) => {
    if (a.status !== 200) {
      deps.log(`webhook ${provider}: ${a.status} ${a.why}`);
      return { status: a.status, body: { ok: false, error: a.status === 401 ? "unauthorized" : "bad-request" } };
    }
    if (a.result.outcome === "unknown") deps.log(`webhook ${provider}: ${a.result.text}`);
    return { status: 200, body: { ok: true, outcome: a.result.outcome } };
  };
  const { postmarkAuth, mailgunKey } = deps.settings;
  const options = {
    bodyLimit: WEBHOOK_BODY_BYTES,
    onRequest: async (request, reply) => {
      if (await deps.limited(request, reply)) return reply;
    }
  };
  if (postmarkAuth) {
    app.post("/webhooks/postmark", options, async (request, reply) => {
      const a = answer(
        "postmark",
        await receivePostmark(
          bounceDeps,
          { postmarkAuth },
          { authorization: request.headers.authorization, body: request.body },
          deps.now()
        )
      );
      if (a.status === 401) reply.header("www-authenticate", 'Basic realm="webhooks"');
      return reply.code(a.status).send(a.body);
    });
  }
  if (mailgunKey) {
    app.post("/webhooks/mailgun", options, async (request, reply) => {
      const a = answer(
        "mailgun",
        await receiveMailgun({ ...bounceDeps, tokens: deps.store }, { mailgunKey }, request.body, deps.now())
      );
      return reply.code(a.status).send(a.body);
    });
  }
}
export {
  registerWebhookRoutes
};
//# sourceMappingURL=routes.js.map
