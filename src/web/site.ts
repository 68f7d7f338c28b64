import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import type { Series } from '../content/index.ts';
import type { SubscriberStore } from '../subscription/subscriber-store.ts';
import type { Subscriptions } from '../subscription/subscriptions.ts';
import { securityHeaders } from './security.ts';
import { registerLinkRoutes } from './link-routes.ts';
import { registerFeedbackRoutes } from './feedback-routes.ts';
import { feedbackBlock } from './feedback-pages.ts';
import type { Feedback } from '../subscription/feedback.ts';
import type { Metrics } from './metrics.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { sharedLimitStore, type LimitCounter } from './shared-limits.ts';
import { registerWebhookRoutes, type WebhookDeps } from './webhooks/routes.ts';
import type { PageContext } from './pages.ts';
import type { Tip } from '../content/index.ts';
import { describedReaderData, type ReaderDataReport } from '../store/reader-data.ts';
import type { SafeHtml } from './html.ts';
import { fixedContent, type ContentSource } from './public/content.ts';
import { registerPublicRoutes } from './public/routes.ts';
import { createLimiters, defaultLimits, limitedBy, type SiteLimits } from './limits.ts';
import { backgroundMail } from './background-mail.ts';
import { registerErrorHandlers } from './error-handlers.ts';
import { registerAssetRoutes } from './asset-routes.ts';
import { registerHealthRoute } from './availability.ts';
import { registerSubscribeRoute } from './subscribe-route.ts';

export { defaultLimits, type Limit, type SiteLimits } from './limits.ts';

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
  const mail = backgroundMail(limits.mailBacklog, log);

  const app = await createServer(limits, deps);
  const limiters = createLimiters(app, limits);
  const linksLimited = limitedBy(ctx, limiters.linksPerIp);
  registerErrorHandlers(app, ctx, limits.bodyBytes, log);
  registerAssetRoutes(app, series.brandColor);

  const content = deps.content ?? (await fixedContent({ series, tips: [], pages: [] }));
  const afterTip = deps.afterTip ?? (deps.feedback ? (tip: Tip) => feedbackBlock(tip.slug) : undefined);
  const publicPages = registerPublicRoutes(app, {
    baseUrl: config.baseUrl,
    content,
    readerData: deps.readerData ?? (async () => describedReaderData()),
    ...(afterTip ? { afterTip } : {}),
  });
  registerHealthRoute(app, deps.store);
  registerSubscribeRoute(app, {
    ctx,
    subscriptions,
    store: deps.store,
    now,
    home: publicPages.home,
    background: mail.background,
    limitedPerIp: limitedBy(ctx, limiters.subscribePerIp),
    limitedPerAddress: limitedBy(ctx, limiters.subscribePerAddress),
  });

  if (deps.metrics) registerMetricsRoute(app, deps.metrics.metrics, deps.metrics.token);
  if (deps.webhooks)
    registerWebhookRoutes(app, { ...deps.webhooks, now, log, limited: limitedBy(ctx, limiters.webhooksPerIp) });
  if (deps.feedback) {
    registerFeedbackRoutes(app, {
      ctx,
      feedback: deps.feedback,
      now,
      // The live content: a tip's title follows its file like its page does.
      titleOf: (slug) => content.current().tips.find((t) => t.slug === slug)?.title,
      linksLimited,
      anonymousLimited: limitedBy(ctx, limiters.feedbackPerIp),
    });
  }
  registerLinkRoutes(app, {
    ctx,
    subscriptions,
    secret: deps.secret,
    now,
    background: mail.background,
    limited: linksLimited,
  });

  return { app, idle: mail.idle };
}

/** Fastify with the site's body parsers, the rate-limit plugin and the security headers; no routes yet. */
async function createServer(limits: SiteLimits, deps: Pick<SiteDeps, 'trustProxy' | 'limitCounter'>) {
  const app: FastifyInstance = Fastify({
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
  return app;
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
