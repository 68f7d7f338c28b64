import type { Kysely } from 'kysely';
import { loadConfig, previousSecrets, readEnv, resolveSecret, storedSecret, type Config } from './config.ts';
import type { LogDestination, Logger } from './log.ts';
import type { Mailer } from './mailer/mailer.ts';
import type { Project } from './render/project.ts';
import type { RateLimitCounter } from './store/rate-limits.ts';
import type { Database } from './store/schema.ts';
import type { SubscriberStore } from './subscription/subscriber-store.ts';
import type { SubscriptionEvent } from './subscription/events.ts';
import type { Subscriptions } from './subscription/subscriptions.ts';
import type { Feedback } from './subscription/feedback.ts';
import type { Metrics } from './web/metrics.ts';

export { describeWriteFailure } from './store/write-failure.ts';

/**
 * The composition root: the one place that turns the environment into the running parts
 * (config → database, mailer, project, subscription rules) and closes them again. Commands, the
 * site, the scheduler and the benchmarks take their parts from here instead of building their own.
 *
 * Every part is made on first use and kept: a command pays only for what it touches, and the
 * heavy modules (MJML, Kysely and SQLite, nodemailer) are imported only then.
 */
export interface App {
  readonly config: Config;
  /** The key that signs links. Resolved on first use: outside production it may be generated into a file. */
  readonly secret: string;
  now(): Date;
  /**
   * The database, migrated. `durable` is for the connections that claim deliveries (`send`, the
   * scheduler): every commit is synced to disk; the site's many small writes skip that. Each kind
   * is opened once. `migrate: false` opens without migrating (for readers that must not write).
   */
  db(options?: { durable?: boolean; migrate?: boolean }): Promise<Kysely<Database>>;
  /** Applies pending migrations, once per app; the names applied. */
  migrate(): Promise<string[]>;
  subscribers(): Promise<SubscriberStore>;
  /** The configured transport: SMTP, or the outbox folder. */
  mailer(): Promise<Mailer>;
  /**
   * Series settings, tips and the renderer, as loaded on first use. `reload` reads content and
   * templates again (the scheduler does at every tick, so a new tip goes out without a restart).
   */
  project(options?: { reload?: boolean }): Promise<Project>;
  /** "Did this help?" over this app's store; anonymous answers are taken for the published tips of `project()`. */
  feedback(): Promise<Feedback>;
  /** The opt-in, unsubscribe and preference rules over this app's store, mailer and project; their events go to `logger()`. */
  subscriptions(): Promise<Subscriptions>;
  /**
   * JSON log lines at NEWSLETTER_LOG_LEVEL to `logTo` (`start` gives its stdout); without
   * `logTo` (commands that print for people) a logger that drops everything.
   */
  logger(): Promise<Logger>;
  /**
   * Where the site's limits count. PostgreSQL: the `rate_limits` table, shared by every replica.
   * SQLite: undefined, each process counts in memory (one machine, usually one site process,
   * and no write per request on the file the dispatcher commits to).
   */
  limitCounter(): Promise<RateLimitCounter | undefined>;
  /** The Prometheus metrics when NEWSLETTER_METRICS_TOKEN is set, else undefined; made once. */
  metrics(): Promise<Metrics | undefined>;
  /** Closes what was opened (the mailer, then the database); parts given to `openApp` stay open. */
  close(): Promise<void>;
}

/** What the app reads from its caller: the CLI's Io fits. */
export interface AppIo {
  cwd: string;
  env: Record<string, string | undefined>;
  now?: () => Date;
}

export interface AppOptions {
  /** A transport made elsewhere (a test's SMTP sink, a benchmark's null mailer). */
  mailer?: Mailer;
  /** Where structured log lines go; unset, none are written. */
  logTo?: LogDestination;
}

/** Reads the environment (`.env` under the real one) and validates it; a bad value throws ConfigError here. */
export function openApp(io: AppIo, options: AppOptions = {}): App {
  const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
  let secret: string | undefined;
  const connections = new Map<boolean, Promise<Kysely<Database>>>();
  let migrated: Promise<string[]> | undefined;
  let mailer: Promise<Mailer> | undefined;
  let project: Promise<Project> | undefined;
  let subscribers: Promise<SubscriberStore> | undefined;
  let subscriptions: Promise<Subscriptions> | undefined;
  let feedback: Promise<Feedback> | undefined;
  // The published tips of the project as last loaded: a tip an editor adds (the scheduler reloads
  // at every tick) takes anonymous answers from then on, without a restart.
  let publishedSlugs = new Set<string>();
  let logger: Promise<Logger> | undefined;
  let metrics: Promise<Metrics | undefined> | undefined;

  function connection(durable: boolean): Promise<Kysely<Database>> {
    let db = connections.get(durable);
    if (!db) {
      db = import('./store/database.ts').then(({ openStore }) => openStore(config.database, { durable }));
      connections.set(durable, db);
    }
    return db;
  }
  // On whichever connection comes first: `send` then never opens a second one just for this.
  // Right after the migrations the signing key is checked: once the database has readers a
  // missing key is refused, never made anew (that would break every link already sent).
  const migrateOn = (db: Kysely<Database>) =>
    (migrated ??= import('./store/database.ts').then(async ({ migrate }) => {
      const applied = await migrate(db);
      if (secret === undefined && !config.secretFromEnv) {
        const reader = await db.selectFrom('subscribers').select('id').limit(1).executeTakeFirst();
        // With readers the key must already be there (read, or refused); without, it is made on first use.
        if (reader !== undefined) secret = resolveSecret(config, { readersExist: true });
        else secret = storedSecret(config);
      }
      return applied;
    }));

  const app: App = {
    config,
    get secret() {
      return (secret ??= resolveSecret(config));
    },
    now: () => (io.now ? io.now() : new Date()),
    async db({ durable = false, migrate = true } = {}) {
      const db = await connection(durable);
      if (migrate) await migrateOn(db);
      return db;
    },
    async migrate() {
      return migrateOn(await connection(false));
    },
    subscribers() {
      return (subscribers ??= Promise.all([app.db(), import('./store/subscribers.ts')]).then(
        ([db, { createSubscriberStore }]) => createSubscriberStore(db),
      ));
    },
    mailer() {
      return (mailer ??= options.mailer
        ? Promise.resolve(options.mailer)
        : import('./mailer/create-mailer.ts').then(({ createMailer }) => createMailer(config)));
    },
    project({ reload = false } = {}) {
      if (!project || reload) {
        project = import('./render/project.ts')
          .then(({ loadProject }) => loadProject(config))
          .then((loaded) => {
            publishedSlugs = new Set(loaded.tips.filter((t) => !t.draft).map((t) => t.slug));
            return loaded;
          });
      }
      return project;
    },
    subscriptions() {
      return (subscriptions ??= (async () => {
        const [store, transport, loaded, log] = await Promise.all([
          app.subscribers(),
          app.mailer(),
          app.project(),
          app.logger(),
        ]);
        return subscriptionsFor(config, {
          store,
          mailer: transport,
          project: loaded,
          secret: app.secret,
          onEvent: (e) => log.info(e, `subscription ${e.event}`),
        });
      })());
    },
    feedback() {
      return (feedback ??= (async () => {
        const [db, store, , { createFeedbackStore }, { createFeedback }] = await Promise.all([
          app.db(),
          app.subscribers(),
          app.project(),
          import('./store/feedback.ts'),
          import('./subscription/feedback.ts'),
        ]);
        return createFeedback({
          store: createFeedbackStore(db),
          subscribers: store,
          secret: app.secret,
          previousSecrets: previousSecrets(config),
          isTip: (slug) => publishedSlugs.has(slug),
        });
      })());
    },
    logger() {
      const to = options.logTo;
      return (logger ??= to
        ? import('./log.ts').then(({ createLogger }) => createLogger(config.logLevel, to))
        : import('./log.ts').then(({ silentLogger }) => silentLogger));
    },
    async limitCounter() {
      if (config.database.kind !== 'postgres') return undefined;
      const [db, { kyselyRateLimitCounter }] = await Promise.all([app.db(), import('./store/rate-limits.ts')]);
      return kyselyRateLimitCounter(db);
    },
    metrics() {
      const token = config.metricsToken;
      return (metrics ??= !token
        ? Promise.resolve(undefined)
        : Promise.all([app.db(), import('./store/gauges.ts'), import('./web/metrics.ts')]).then(
            ([db, { readStoreGauges }, { createMetrics }]) =>
              createMetrics(() => readStoreGauges(db, app.now().getTime())),
          ));
    },
    async close() {
      const errors: unknown[] = [];
      const closing = async <T>(part: Promise<T> | undefined, close: (made: T) => Promise<void>) => {
        // A part that failed to open has nothing to close; its error went to whoever asked for it.
        const made = await part?.then(
          (p) => p,
          () => undefined,
        );
        if (made !== undefined) await close(made).catch((e: unknown) => errors.push(e));
      };
      if (!options.mailer) await closing(mailer, (m) => m.close());
      for (const db of connections.values()) await closing(db, (d) => d.destroy());
      mailer = project = subscribers = subscriptions = feedback = migrated = metrics = undefined;
      connections.clear();
      if (errors.length) throw errors[0];
    },
  };
  return app;
}

/**
 * How the subscription rules are put together from the parts. `openApp` does it once; a test
 * that brings its own store or mailer does it the same way through this.
 */
export async function subscriptionsFor(
  config: Pick<Config, 'baseUrl' | 'from' | 'timezone' | 'previousSecretFromEnv' | 'bounceAddress'> &
    Partial<Pick<Config, 'confirmationQueue'>>,
  parts: {
    store: SubscriberStore;
    mailer: Mailer;
    project: Pick<Project, 'series' | 'renderer'>;
    secret: string;
    onEvent?: (event: SubscriptionEvent) => void;
  },
): Promise<Subscriptions> {
  const [{ createSubscriptions }, { senderOf }, { systemReturnPathFor }] = await Promise.all([
    import('./subscription/subscriptions.ts'),
    import('./mailer/headers.ts'),
    import('./bounces/verp.ts'),
  ]);
  const { bounceAddress } = config;
  const { series, renderer } = parts.project;
  return createSubscriptions({
    store: parts.store,
    mailer: parts.mailer,
    renderer,
    series,
    baseUrl: config.baseUrl,
    secret: parts.secret,
    previousSecrets: previousSecrets(config),
    from: senderOf(series, config.from),
    defaultTimezone: config.timezone,
    ...(config.confirmationQueue !== undefined ? { confirmationQueueLimit: config.confirmationQueue } : {}),
    ...(bounceAddress
      ? { returnPath: (id: number, now: Date) => systemReturnPathFor(bounceAddress, parts.secret, id, now) }
      : {}),
    ...(parts.onEvent ? { onEvent: parts.onEvent } : {}),
  });
}
