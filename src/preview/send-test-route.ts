import type { FastifyInstance } from 'fastify';
import { SendError, type Mailer } from '../mailer/mailer.ts';
import { checkAddress } from '../subscription/address.ts';
import { isSampleReader } from './samples.ts';
import type { Studio } from './studio.ts';

/**
 * POST /api/send-test, "Send me a test": one email, rendered for a sample reader, to an
 * address the editor types. JSON from this origin only, 20 a minute.
 */
export function registerSendTestRoute(app: FastifyInstance, studio: Studio, mailer: () => Promise<Mailer>): void {
  app.post<{ Body: { id?: unknown; reader?: unknown; to?: unknown } }>(
    '/api/send-test',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      // JSON only: a form on another site cannot send JSON without a preflight the studio refuses.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
        return reply.code(415).send({ ok: false, error: 'send JSON: {"id", "reader", "to"}' });
      const origin = request.headers.origin;
      if (origin && origin !== `http://${request.headers.host}`)
        return reply.code(403).send({ ok: false, error: 'requests from other sites are refused' });
      const { id, reader, to } = request.body ?? {};
      const checked = checkAddress(to);
      if (!checked.ok) return reply.code(400).send({ ok: false, error: 'type an email address like you@example.org' });
      const address = checked.email;
      if (typeof id !== 'string')
        return reply.code(400).send({ ok: false, error: 'pick an email from the list first' });
      let message;
      try {
        message = await studio.testMessage(id, isSampleReader(reader) ? reader : 'first', address);
      } catch {
        return reply
          .code(422)
          .send({ ok: false, error: 'this email cannot be rendered now: fix the problems shown, then send again' });
      }
      if (!message)
        return reply.code(400).send({ ok: false, error: 'only the series and system emails can be sent as a test' });
      const transport = mailer();
      try {
        const ready = await transport;
        const result = await ready.send(message);
        return { ok: true, to: address, transport: ready.describe().split(' (')[0], response: result.response };
      } catch (e) {
        const why = e instanceof SendError ? `${e.kind}: ${e.response}` : 'the transport failed';
        return reply.code(502).send({ ok: false, error: `not sent (${why})` });
      }
    },
  );
}
