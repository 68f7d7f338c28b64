import type { FastifyReply, FastifyRequest } from 'fastify';

/** A field of a form or JSON body as a string; anything else (arrays, objects) counts as absent. */
export function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** The query string's parameters, as they came (each still to be checked). */
export function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** JSON for API clients (a JSON body, or an Accept that prefers JSON), HTML pages for people. */
export function wantsJson(request: FastifyRequest): boolean {
  if ((request.headers['content-type'] ?? '').includes('application/json')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}
