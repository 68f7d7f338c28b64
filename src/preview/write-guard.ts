import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The header each write from the editor page carries. */
export const TOKEN_HEADER = 'x-studio-token';

/** A token made when the studio starts: only a page the studio served knows it. */
export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Whether a request that changes files comes from the studio's own page: JSON (a form elsewhere
 * cannot send it without a preflight the studio refuses), an Origin that is the studio itself,
 * and the session token. Answers the refusal itself and returns false.
 */
export function allowWrite(request: FastifyRequest, reply: FastifyReply, token: string): boolean {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    void reply.code(415).send({ ok: false, error: 'send JSON from the studio page' });
    return false;
  }
  const origin = request.headers.origin;
  if (!origin || origin !== `http://${request.headers.host}`) {
    void reply.code(403).send({ ok: false, error: 'writes are accepted only from the studio page itself' });
    return false;
  }
  const sent = Buffer.from(String(request.headers[TOKEN_HEADER] ?? ''));
  const want = Buffer.from(token);
  if (sent.length !== want.length || !timingSafeEqual(sent, want)) {
    void reply
      .code(403)
      .send({ ok: false, error: 'this page is from an earlier studio run: reload it, then try again' });
    return false;
  }
  return true;
}
