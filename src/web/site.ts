import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import type { Series } from '../content/index.ts';
import type { SubscriberStore } from '../subscription/subscriber-store.ts';
import { checkAddress, normalizeAddress } from '../subscription/address.ts';
import { isUnwritable } from '../store/write-probe.ts';
import { withoutAddresses } from '../redact.ts';
import type { SendNow, Subscriptions } from '../subscription/subscriptions.ts';
import { faviconSvg, siteCss } from './assets.ts';
import { securityHeaders } from './security.ts';
import { field, sendPage, wantsJson } from './http.ts';
import { registerLinkRoutes } from './link-routes.ts';
import { registerFeedbackRoutes } from './feedback-routes.ts';
import { feedbackBlock } from './feedback-pages.ts';
import type { Feedback } from '../subscription/feedback.ts';
import type { Metrics } from './metrics.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { sharedLimitStore, type LimitCounter } from './shared-limits.ts';
import { registerWebhookRoutes, type WebhookDeps } from './webhooks/routes.ts';
import { checkInboxPage, errorPage, SUBSCRIBE_ANSWER, type PageContext } from './pages.ts';
import type { Tip } from '../content/index.ts';
import { describedReaderData, type ReaderDataReport } from '../store/reader-data.ts';
import type { SafeHtml } from './html.ts';
import { fixedContent, type ContentSource } from './public/content.ts';
import { registerPublicRoutes } from './public/routes.ts';

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

/** How long a client is asked to wait while the database cannot write. */
const RETRY_AFTER_S = 120;

export const defaultLimits: SiteLimits = {
  subscribePerIp: { max: 10, windowMs: 60_000 },
  subscribePerAddress: { max: 5, windowMs: 60 * 60_000 },
  linksPerIp: { max: 60, windowMs: 60_000 },
  feedbackPerIp: { max: 20, windowMs: 60 * 60_000 },
  webhooksPerIp: { max: 600, windowMs: 60_000 },
  bodyBytes: 16 * 1024,
  mailBacklog: 100,
};

export interface SiteDeps {
  /** The opt-in, unsubscribe and preference rules, with the mailer and renderer behind them. */
  subscriptions: Subscriptions;
  /** Asked by /healthz whether the database answers. */
  store: Pick<SubscriberStore, 'ping'>;
  /** The series' settings: name, colours, send time for the pages. */
  series: Series;
  /** The key that signs links (resolveSecret(config)). */
  secret: string;
  /** The clock; tests move it. */
  now?: () => Date;
  limits?: Partial<SiteLimits>;
  /** Where failures are reported (never with tokens or addresses). */
  log?: (line: string) => void;
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For. */
  trustProxy?: boolean;
  /**
   * Where the limits count: shared by every replica on one database. Absent, each process
   * counts in its own memory (one process on SQLite).
   */
  limitCounter?: LimitCounter;
  /** "Did this help?" (GET/POST /feedback, POST /tips/:slug/feedback); absent, those routes do not exist. */
  feedback?: Feedback;
  /** GET /metrics for bearers of `token`; absent, the route does not exist (404). */
  metrics?: { token: string; metrics: Pick<Metrics, 'scrape'> };
  /** The ESP bounce and complaint webhooks; absent, their routes do not exist (404). */
  webhooks?: Omit<WebhookDeps, 'now' | 'log' | 'limited'>;
  /**
   * The tips and pages the public pages show (`liveContent` follows the files). Absent, the
   * site shows the series with no tips. The caller closes it.
   */
  content?: ContentSource;
  /** What the store keeps about readers, for /privacy (`describeReaderData` on the live database). */
  readerData?: () => Promise<ReaderDataReport>;
  /** A block under each tip on its page; default: "Did this help?" when `feedback` is given. */
  afterTip?: (tip: Tip) => SafeHtml;
}

export interface Site {
  app: FastifyInstance;
  /** Waits until every email the site started sending has been sent or put back in the queue. */
  idle(): Promise<void>;
}

export interface RunningSite {
  /** `http://host:port`, the address it listens on. */
  address: string;
  port: number;
  /** Stops taking requests and waits for emails in flight; the parts it was given stay open. */
  close(): Promise<void>;
  idle(): Promise<void>;
}

/** Builds the public site (not listening yet): routes, limits, headers. */
export async function buildSite(config: Pick<Config, 'timezone' | 'baseUrl'>, deps: SiteDeps): Promise<Site> {
  const limits = { ...defaultLimits, ...deps.limits };
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const { series, subscriptions } = deps;
  const ctx: PageContext = { series, defaultTimezone: config.timezone };

  // An email a request queued is sent after the answer, never before it: the answer's timing then
  // says nothing about the address, and a slow or stalled relay never holds a request. Beyond
  // `mailBacklog` sends at once, it is left in the queue for the scheduler's next drain.
  const inFlight = new Set<Promise<unknown>>();
  const background = (what: string, send: SendNow | undefined): void => {
    if (!send || inFlight.size >= limits.mailBacklog) return;
    // Started on the next turn of the event loop, once the answer is on its way.
    const tracked = new Promise<void>((resolve) => setImmediate(resolve)).then(send).then(
      (r) => {
        // SMTP answers often quote the recipient: addresses never reach the log.
        if (r.outcome === 'queued')
          log(
            `${what} email could not be sent now: ${withoutAddresses(r.reason)}; it stays queued and the scheduler tries again`,
          );
        if (r.outcome === 'failed') log(`${what} email was refused by the mail server: ${withoutAddresses(r.reason)}`);
      },
      (e: unknown) =>
        log(
          `${what} email could not be sent: ${withoutAddresses(e instanceof Error ? e.message : String(e))}; it stays queued and the scheduler tries again`,
        ),
    );
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  const app = Fastify({
    bodyLimit: limits.bodyBytes,
    // Request logs would carry the signed tokens in URLs: failures are reported through `log` only.
    logger: false,
    // One hop: the address the proxy itself saw. Trusting the whole X-Forwarded-For chain would
    // let a client name a new address per request and walk around the per-IP limits.
    trustProxy: deps.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    requestTimeout: 15_000,
    return503OnClosing: true,
  });
  await app.register(formbody, { bodyLimit: limits.bodyBytes });
  // RFC 8058 one-click POSTs may come as multipart/form-data or plain text; only their arrival matters.
  app.addContentTypeParser(
    ['multipart/form-data', 'text/plain'],
    { parseAs: 'string', bodyLimit: limits.bodyBytes },
    (_req, body, done) => done(null, body),
  );
  await app.register(rateLimit, {
    global: false,
    ...(deps.limitCounter ? { store: sharedLimitStore(deps.limitCounter) } : {}),
  });
  securityHeaders(app);

  // Each limiter names its keys: a shared store holds them all in one table.
  const perIp = app.createRateLimit({
    max: limits.subscribePerIp.max,
    timeWindow: limits.subscribePerIp.windowMs,
    keyGenerator: (req) => `subscribe-ip:${normalizeIP(req.ip)}`,
  });
  const perAddress = app.createRateLimit({
    max: limits.subscribePerAddress.max,
    timeWindow: limits.subscribePerAddress.windowMs,
    keyGenerator: (req) =>
      `subscribe-address:${normalizeIP(req.ip)}:${normalizeAddress(field(req.body, 'email') ?? '').slice(0, 300)}`,
  });
  const feedbackLimit = app.createRateLimit({
    max: limits.feedbackPerIp.max,
    timeWindow: limits.feedbackPerIp.windowMs,
    keyGenerator: (req) => `feedback-ip:${normalizeIP(req.ip)}`,
  });
  const webhooksLimit = app.createRateLimit({
    max: limits.webhooksPerIp.max,
    timeWindow: limits.webhooksPerIp.windowMs,
    keyGenerator: (req) => `webhooks-ip:${normalizeIP(req.ip)}`,
  });
  const linksLimit = app.createRateLimit({
    max: limits.linksPerIp.max,
    timeWindow: limits.linksPerIp.windowMs,
    keyGenerator: (req) => `links-ip:${normalizeIP(req.ip)}`,
  });

  /** 429 with Retry-After when any limit is exceeded; true when the request was answered. */
  async function limited(
    request: FastifyRequest,
    reply: FastifyReply,
    checks: ReturnType<typeof app.createRateLimit>[],
  ): Promise<boolean> {
    for (const check of checks) {
      const r = await check(request);
      if (r.isAllowed || !r.isExceeded) continue;
      const message = `Too many requests. Please wait ${r.ttlInSeconds} seconds and try again.`;
      reply.header('retry-after', String(r.ttlInSeconds));
      if (wantsJson(request))
        reply.code(429).send({ ok: false, error: 'rate-limited', message, retryAfter: r.ttlInSeconds });
      else sendPage(reply, 429, errorPage(ctx, 'Please slow down', message, false));
      return true;
    }
    return false;
  }

  app.setErrorHandler((error: { statusCode?: number; message?: string; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500)
      log(`${request.method} ${request.routeOptions.url ?? '?'} failed: ${error.message ?? String(error)}`);
    const message =
      status === 413
        ? `That was too much data (at most ${Math.round(limits.bodyBytes / 1024)} KB). Please send the form again.`
        : status === 415
          ? 'Please send the form, or JSON with Content-Type: application/json.'
          : status < 500
            ? 'The request could not be read. Please send the form again.'
            : 'Something went wrong on our side. Please try again in a minute.';
    if (wantsJson(request)) return reply.code(status).send({ ok: false, error: error.code ?? 'error', message });
    return sendPage(
      reply,
      status,
      errorPage(ctx, status < 500 ? 'That did not work' : 'Sorry, something went wrong', message, false),
    );
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request)) return reply.code(404).send({ ok: false, error: 'not-found', message: 'No such page.' });
    return sendPage(reply, 404, errorPage(ctx, 'Page not found', 'There is no page at this address.', false));
  });

  const css = siteCss(series.brandColor);
  app.get('/site.css', (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  const icon = faviconSvg(series.brandColor);
  app.get('/favicon.svg', (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon),
  );
  app.get('/favicon.ico', (_req, reply) => reply.redirect('/favicon.svg', 301));
  const content = deps.content ?? (await fixedContent({ series, tips: [], pages: [] }));
  const afterTip = deps.afterTip ?? (deps.feedback ? (tip: Tip) => feedbackBlock(tip.slug) : undefined);
  const publicPages = registerPublicRoutes(app, {
    baseUrl: config.baseUrl,
    content,
    readerData: deps.readerData ?? (async () => describedReaderData()),
    ...(afterTip ? { afterTip } : {}),
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await deps.store.ping();
      return reply.send({ ok: true });
    } catch {
      return reply.code(503).header('retry-after', String(RETRY_AFTER_S)).send({ ok: false });
    }
  });

  // A good answer is trusted for a second, so a burst of sign-ups costs one probe, not one each;
  // a write that fails meanwhile is still caught (isUnwritable) and answered 503.
  let writableUntil = 0;
  async function writable(): Promise<boolean> {
    const t = performance.now();
    if (t < writableUntil) return true;
    try {
      await deps.store.ping();
      writableUntil = t + 1000;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * 503 with Retry-After while the database cannot take a write (no "check your inbox" for an
   * email that cannot go), or while the confirmation queue is full.
   */
  const unavailable = (
    request: FastifyRequest,
    reply: FastifyReply,
    why: { error: string; message: string; retryAfter: number } = {
      error: 'unavailable',
      message: `We cannot take sign-ups for a moment. Please try again in ${RETRY_AFTER_S / 60} minutes.`,
      retryAfter: RETRY_AFTER_S,
    },
  ) => {
    reply.header('retry-after', String(why.retryAfter));
    if (wantsJson(request))
      return reply.code(503).send({ ok: false, error: why.error, message: why.message, retryAfter: why.retryAfter });
    return sendPage(reply, 503, errorPage(ctx, 'Please try again soon', why.message, false));
  };

  app.post('/subscribe', async (request, reply) => {
    // Per IP first (a flood), then the address: a request without a usable one is a 400, never
    // a 429 from a bucket that every such request would share.
    if (await limited(request, reply, [perIp])) return reply;
    const json = wantsJson(request);
    const body = request.body;
    // The honeypot: people never see the field, form-filling bots fill it. They get the usual answer.
    if (field(body, 'website')) {
      return json ? reply.send({ ok: true, message: SUBSCRIBE_ANSWER }) : sendPage(reply, 200, checkInboxPage(ctx));
    }
    const address = checkAddress(field(body, 'email'));
    if (!address.ok) {
      if (json) return reply.code(400).send({ ok: false, error: 'invalid-email', message: address.reason });
      return sendPage(
        reply,
        400,
        publicPages.home({ email: field(body, 'email') ?? '', name: field(body, 'name') ?? '', error: address.reason }),
      );
    }
    if (await limited(request, reply, [perAddress])) return reply;
    if (!(await writable())) return unavailable(request, reply);
    let result: Awaited<ReturnType<typeof subscriptions.subscribe>>;
    try {
      result = await subscriptions.subscribe(
        {
          email: field(body, 'email'),
          name: field(body, 'name'),
          timezone: field(body, 'timezone'),
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          source: 'web',
        },
        now(),
      );
    } catch (e) {
      if (isUnwritable(e)) return unavailable(request, reply);
      throw e;
    }
    if (!result.ok) {
      if (result.problem === 'busy')
        return unavailable(request, reply, {
          error: 'busy',
          message: result.reason,
          retryAfter: result.retryAfterSeconds,
        });
      if (json)
        return reply.code(400).send({
          ok: false,
          error: result.problem === 'name' ? 'invalid-name' : 'invalid-email',
          message: result.reason,
        });
      return sendPage(
        reply,
        400,
        publicPages.home({
          email: field(body, 'email') ?? '',
          name: field(body, 'name') ?? '',
          error: result.reason,
          errorField: result.problem,
        }),
      );
    }
    background('confirmation', result.send);
    return json ? reply.send({ ok: true, message: SUBSCRIBE_ANSWER }) : sendPage(reply, 200, checkInboxPage(ctx));
  });

  if (deps.metrics) registerMetricsRoute(app, deps.metrics.metrics, deps.metrics.token);
  if (deps.webhooks)
    registerWebhookRoutes(app, {
      ...deps.webhooks,
      now,
      log,
      limited: (req, reply) => limited(req, reply, [webhooksLimit]),
    });

  if (deps.feedback) {
    registerFeedbackRoutes(app, {
      ctx,
      feedback: deps.feedback,
      now,
      // The live content: a tip's title follows its file like its page does.
      titleOf: (slug) => content.current().tips.find((t) => t.slug === slug)?.title,
      linksLimited: (req, reply) => limited(req, reply, [linksLimit]),
      anonymousLimited: (req, reply) => limited(req, reply, [feedbackLimit]),
    });
  }

  registerLinkRoutes(app, {
    ctx,
    subscriptions,
    secret: deps.secret,
    now,
    background,
    limited: (req, reply) => limited(req, reply, [linksLimit]),
  });

  return {
    app,
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

/**
 * Starts the public site on HOST/PORT. `newsletter start` calls this after the migrations and
 * before the scheduler; it returns where it listens and how to stop it.
 */
export async function startSite(
  config: Pick<Config, 'timezone' | 'host' | 'port' | 'baseUrl'>,
  deps: SiteDeps,
): Promise<RunningSite> {
  const site = await buildSite(config, deps);
  await site.app.listen({ host: config.host, port: config.port });
  const info = site.app.server.address() as AddressInfo;
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return {
    address: `http://${host}:${info.port}`,
    port: info.port,
    idle: site.idle,
    async close() {
      await site.app.close();
      await site.idle();
    },
  };
}
