// ../../work/wt/h-studio/src/preview/send-test-route.ts
import { SendError } from "../mailer/mailer.js";
import { checkAddress } from "../subscription/address.js";
import { isSampleReader } from "./samples.js";
function registerSendTestRoute(app, studio, mailer) {
  app.post(
    "/api/send-test",
    { config: { rateLimit: { max: 20, timeWindow: "1 minute" } } },
    async (request, reply) => {
      if (!/^application\/json\b/i.test(request.headers["content-type"] ?? ""))
        return reply.code(415).send({ ok: false, error: 'send JSON: {"id", "reader", "to"}' });
      const origin = request.headers.origin;
      if (origin && origin !== `http://${request.headers.host}`)
        return reply.code(403).send({ ok: false, error: "requests from other sites are refused" });
      const { id, reader, to } = request.body ?? {};
      const checked = checkAddress(to);
      if (!checked.ok) return reply.code(400).send({ ok: false, error: "type an email address like you@example.org" });
      const address = checked.email;
      if (typeof id !== "string")
        return reply.code(400).send({ ok: false, error: "pick an email from the list first" });
      let message;
      try {
        message = await studio.testMessage(id, isSampleReader(reader) ? reader : "first", address);
      } catch {
        return reply.code(422).send({ ok: false, error: "this email cannot be rendered now: fix the problems shown, then send again" });
      }
      if (!message)
        return reply.code(400).send({ ok: false, error: "only the series and system emails can be sent as a test" });
      const transport = mailer();
      try {
        const ready = await transport;
        const result = await ready.send(message);
        return { ok: true, to: address, transport: ready.describe().split(" (")[0], response: result.response };
      } catch (e) {
        const why = e instanceof SendError ? `${e.kind}: ${e.response}` : "the transport failed";
        return reply.code(502).send({ ok: false, error: `not sent (${why})` });
      }
    }
  );
}
export {
  registerSendTestRoute
};
//# sourceMappingURL=send-test-route.js.map
