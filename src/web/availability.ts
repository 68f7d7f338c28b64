import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SubscriberStore } from '../subscription/subscriber-store.ts';
import { sendPage, wantsJson } from './http.ts';
import { errorPage, type PageContext } from './pages.ts';

/** How long a client is asked to wait while the database cannot write. */
export const RETRY_AFTER_S = 120;

type Pingable = Pick<SubscriberStore, 'ping'>;

/** GET /healthz: 200 while the database answers, else 503 with Retry-After. */
export function registerHealthRoute(app: FastifyInstance, store: Pingable): void {
  app.get('/healthz', async (_req, reply) => {
    try {
      await store.ping();
      return reply.send({ ok: true });
    } catch {
      return reply.code(503).header('retry-after', String(RETRY_AFTER_S)).send({ ok: false });
    }
  });
}

/**
 * Whether the database takes writes now. A good answer is trusted for a second, so a burst of
 * sign-ups costs one probe, not one each; a write that fails meanwhile is still caught
 * (isUnwritable) and answered 503.
 */
export function writableProbe(store: Pingable): () => Promise<boolean> {
  let writableUntil = 0;
  return async () => {
    const t = performance.now();
    if (t < writableUntil) return true;
    try {
      await store.ping();
      writableUntil = t + 1000;
      return true;
    } catch {
      return false;
    }
  };
}

export interface Unavailability {
  error: string;
  message: string;
  retryAfter: number;
}

const cannotWrite: Unavailability = {
  error: 'unavailable',
  message: `We cannot take sign-ups for a moment. Please try again in ${RETRY_AFTER_S / 60} minutes.`,
  retryAfter: RETRY_AFTER_S,
};

/**
 * 503 with Retry-After while the database cannot take a write (no "check your inbox" for an
 * email that cannot go), or while the confirmation queue is full.
 */
export function answerUnavailable(
  ctx: PageContext,
  request: FastifyRequest,
  reply: FastifyReply,
  why: Unavailability = cannotWrite,
): FastifyReply {
  reply.header('retry-after', String(why.retryAfter));
  if (wantsJson(request))
    return reply.code(503).send({ ok: false, error: why.error, message: why.message, retryAfter: why.retryAfter });
  return sendPage(reply, 503, errorPage(ctx, 'Please try again soon', why.message, false));
}
