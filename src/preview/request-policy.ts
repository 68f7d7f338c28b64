import type { FastifyInstance } from 'fastify';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * What every studio answer obeys: the Host check against DNS rebinding, the security headers,
 * and failures answered without their message.
 */
export function applyRequestPolicy(app: FastifyInstance, host: string): void {
  // On loopback, only loopback names are answered; on an address the editor chose, any name.
  const loopbackOnly = LOOPBACK.has(host) || /^127\./.test(host);
  app.addHook('onRequest', async (request, reply) => {
    // Against DNS rebinding: a page elsewhere must not reach the studio through a name of its own.
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (loopbackOnly && !LOOPBACK.has(hostname))
      return reply.code(421).type('text/plain').send('The studio answers on 127.0.0.1 or localhost only.');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    // Inline styles and https images are the email's own (the frame inherits this policy).
    reply.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
    );
  });

  // A failure answers without its message: it may carry a file's absolute path.
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ error: status === 500 ? 'the studio could not answer this request' : 'bad request' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such page' }));
}
