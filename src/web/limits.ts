import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import { normalizeAddress } from '../subscription/address.ts';
import { field, sendPage, wantsJson } from './http.ts';
import { errorPage, type PageContext } from './pages.ts';

export interface Limit {
  max: number;
  windowMs: number;
}

/** Abuse limits; tests and the benchmark raise them. */
export interface SiteLimits {
  /** POST /subscribe per client IP. */
  subscribePerIp: Limit;
  /**
   * POST /subscribe per address (normalized) from one client IP: a stranger elsewhere cannot use
   * it to lock the reader out. The address itself gets at most one confirmation per 10 minutes
   * (the subscription rules), however many IPs ask, so it cannot be mail-bombed either.
   */
  subscribePerAddress: Limit;
  /** POSTs to the signed-link routes per client IP. */
  linksPerIp: Limit;
  /** Anonymous "Did this help?" answers and comments from the public tip pages, per client IP. */
  feedbackPerIp: Limit;
  /**
   * POSTs to the ESP webhooks per client IP: high enough for an ESP's burst of bounce events
   * (both ESPs retry a 429 later), low enough that a flood of large unsigned bodies stops.
   */
  webhooksPerIp: Limit;
  /** Largest request body in bytes. */
  bodyBytes: number;
  /**
   * Emails this process sends at once, right after the request that queued them. Beyond this
   * many an email is not started here: it waits in the queue for the scheduler's next drain. A
   * request never waits for its email, and a flood cannot grow memory without bound.
   */
  mailBacklog: number;
}

export const defaultLimits: SiteLimits = {
  subscribePerIp: { max: 10, windowMs: 60_000 },
  subscribePerAddress: { max: 5, windowMs: 60 * 60_000 },
  linksPerIp: { max: 60, windowMs: 60_000 },
  feedbackPerIp: { max: 20, windowMs: 60 * 60_000 },
  webhooksPerIp: { max: 600, windowMs: 60_000 },
  bodyBytes: 16 * 1024,
  mailBacklog: 100,
};

/** One limiter: asked per request, it counts the request and says whether it is over. */
export type RateCheck = ReturnType<FastifyInstance['createRateLimit']>;

/** Answers 429 and returns true when the client is over its limit. */
export type Limited = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/** The site's limiters, one per kind of request in `SiteLimits`. */
export interface Limiters {
  subscribePerIp: RateCheck;
  subscribePerAddress: RateCheck;
  feedbackPerIp: RateCheck;
  webhooksPerIp: RateCheck;
  linksPerIp: RateCheck;
}

export function createLimiters(app: FastifyInstance, limits: SiteLimits): Limiters {
  // Each limiter names its keys: a shared store holds them all in one table.
  const perIp = (limit: Limit, name: string) =>
    app.createRateLimit({
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: (req) => `${name}-ip:${normalizeIP(req.ip)}`,
    });
  return {
    subscribePerIp: perIp(limits.subscribePerIp, 'subscribe'),
    subscribePerAddress: app.createRateLimit({
      max: limits.subscribePerAddress.max,
      timeWindow: limits.subscribePerAddress.windowMs,
      keyGenerator: (req) =>
        `subscribe-address:${normalizeIP(req.ip)}:${normalizeAddress(field(req.body, 'email') ?? '').slice(0, 300)}`,
    }),
    feedbackPerIp: perIp(limits.feedbackPerIp, 'feedback'),
    webhooksPerIp: perIp(limits.webhooksPerIp, 'webhooks'),
    linksPerIp: perIp(limits.linksPerIp, 'links'),
  };
}

/**
 * A `Limited` for the pages of `ctx` over one limiter: 429 with Retry-After when its limit is
 * exceeded (JSON for API clients, a page for people); true when the request was answered.
 */
export function limitedBy(ctx: PageContext, check: RateCheck): Limited {
  return async (request, reply) => {
    const r = await check(request);
    if (r.isAllowed || !r.isExceeded) return false;
    const message = `Too many requests. Please wait ${r.ttlInSeconds} seconds and try again.`;
    reply.header('retry-after', String(r.ttlInSeconds));
    if (wantsJson(request))
      reply.code(429).send({ ok: false, error: 'rate-limited', message, retryAfter: r.ttlInSeconds });
    else sendPage(reply, 429, errorPage(ctx, 'Please slow down', message, false));
    return true;
  };
}
