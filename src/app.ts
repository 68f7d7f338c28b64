import type { Kysely } from 'kysely';
import type { BounceDeps } from './bounces/apply.ts';
import type { TokenMemory } from './bounces/webhooks/receive.ts';
import {
  dataDir,
  loadConfig,
  previousSecrets,
  readEnv,
  resolveSecret,
  storedSecret,
  type Config,
  type DatabaseConfig,
} from './config.ts';
import type { ComplaintGuard } from './delivery/complaint-guard.ts';
import type { Corrections } from './delivery/corrections.ts';
import type { DeliveryPass } from './delivery/delivery-pass.ts';
import type { ShapingParts } from './delivery/shaping.ts';
import type { LogDestination, Logger } from './log.ts';
import type { Mailer } from './mailer/mailer.ts';
import type { Project } from './render/project.ts';
import type { BounceStats } from './store/bounce-stats.ts';
import type { SeriesStats } from './store/delivery-stats.ts';
import type { FeedbackComment, TipFeedback } from './store/feedback.ts';
import type { RateLimitCounter } from './store/rate-limits.ts';
import type { ReaderDataReport } from './store/reader-data.ts';
import type { RelayState } from './store/relay-state.ts';
import type { SiteReport } from './store/shaping.ts';
import type { WarmupStatus } from './delivery/warmup.ts';
import type { Database } from './store/schema.ts';
import type { Subscriber, SubscriberStore } from './subscription/subscriber-store.ts';
import type { SubscriptionEvent } from './subscription/events.ts';
import type { Subscriptions } from './subscription/subscriptions.ts';
import type { Feedback } from './subscription/feedback.ts';
import type { ImportDeps } from './subscription/import.ts';
import type { Metrics } from './web/metrics.ts';
import type { GuardReport } from './delivery/complaint-guard.ts';

export { describeWriteFailure } from './store/write-failure.ts';
export { connectionLossText, isConnectionLost } from './store/connection-errors.ts';
export type { BounceFigures, BounceStats } from './store/bounce-stats.ts';
export type { SeriesStats } from './store/delivery-stats.ts';
export type { FeedbackComment, TipFeedback } from './store/feedback.ts';
export type { RelayState } from './store/relay-state.ts';
export type { SiteReport } from './store/shaping.ts';
export type { WarmupStatus } from './delivery/warmup.ts';
export type { DeliveryState, SubscriberStatus } from './store/schema.ts';
export type { Subscriber, SuppressionReason } from './subscription/subscriber-store.ts';
export type { DeliveryPass } from './delivery/delivery-pass.ts';
export type { ComplaintGuard, GuardReport } from './delivery/complaint-guard.ts';
export { RELEASE_COMMAND } from './delivery/complaint-guard.ts';

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
  /**
   * The project with its `holds` filled in by `check`'s publish rules (check/release-gate.ts):
   * what the site, the feed, the sender, `stats` and `/metrics` read. Worked out once per
   * loaded project, and once per content version in a process.
   */
  released(options?: { reload?: boolean }): Promise<Project>;
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
  /**
   * The dispatch pass over the durable connection, the mailer, NEWSLETTER_RATE and the signing
   * key resolved once. Each pass checks that the key's file is still there and stops with one
   * line if it is not: it never makes a new key (the site would go on with the old one).
   */
  deliveryPass(): Promise<DeliveryPass>;
  /**
   * The complaint and bounce guard over this app's store and NEWSLETTER_GUARD_* (`newsletter
   * guard`, `stats`); every pass asks the same guard through `deliveryPass()`.
   */
  guard(): Promise<ComplaintGuard>;
  /**
   * Corrections to the readers who got an older text of a tip (`newsletter corrections`, and each
   * pass after its tips), over the durable connection and the mailer, links signed as the pass's.
   */
  corrections(): Promise<Corrections>;
  /** What the bounce rules write to (ingest, webhooks, the mailbox), with the keys return paths are signed with. */
  bounces(): Promise<BounceParts>;
  /** The CSV import's parts: the subscription rules' row, and the store's batch writer. */
  importer(): Promise<ImportDeps>;
  /** What `stats`, `/metrics` and the studio read: counts, never addresses. */
  statsReader(): Promise<StatsReader>;
  /** The data kept about readers, table by table (the site's privacy page). */
  readerData(): Promise<ReaderDataReport>;
  /**
   * The stored subscriber with this normalised address, without creating or migrating the
   * database (undefined when there is none, or no database yet).
   */
  storedReader(normalizedEmail: string): Promise<Subscriber | undefined>;
  /** An online copy of the SQLite database to `dest`; the pages copied. */
  backupSqlite(dest: string): Promise<number>;
  /** Closes what was opened (the mailer, then the database); parts given to `openApp` stay open. */
  close(): Promise<void>;
}

/** The bounce rules' parts: the store (which also remembers webhook tokens) and the signing keys. */
export interface BounceParts extends BounceDeps {
  store: BounceDeps['store'] & TokenMemory;
}

export interface StatsReader {
  /** Subscribers by status, who is due, deliveries by tip and state. */
  series(now: number): Promise<SeriesStats>;
  /** Bounce and complaint rates per tip, and since `since`. */
  bounces(since: number): Promise<BounceStats>;
  feedbackByTip(): Promise<TipFeedback[]>;
  comments(limit: number): Promise<FeedbackComment[]>;
  /** What every sender on the database met of the relay. */
  relay(): Promise<RelayState>;
  /** The complaint and bounce guard at `now`, changing nothing. */
  guard(now: number): Promise<GuardReport>;
  /** Readers due now who wait for each held or blocked tip of `project` (a dry run of a pass at `now`). */
  waitingFor(project: Project, now: number): Promise<Map<string, number>>;
  /** The provider sites: suspensions (which, why, until when) and sent/deferred counts. */
  sites(): Promise<SiteReport[]>;
  /** The warm-up at `now` (undefined: series.yml sets none). */
  warmup(now: number): Promise<WarmupStatus | undefined>;
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

/** Parts made once per app, on first use; `forget` drops them all (after `close`). */
function partsCache() {
  const made = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, make: () => Promise<T>, remake = false): Promise<T> {
      let part = made.get(key) as Promise<T> | undefined;
      if (!part || remake) {
        part = make();
        made.set(key, part);
      }
      return part;
    },
    peek<T>(key: string): Promise<T> | undefined {
      return made.get(key) as Promise<T> | undefined;
    },
    forget: () => made.clear(),
  };
}

/**
 * The link-signing key, resolved once. Right after the migrations it is checked: once the
 * database has readers a missing key is refused, never made anew (that would break every link
 * already sent).
 */
function signingKey(config: Config) {
  let key: string | undefined;
  return {
    async afterMigrations(db: Kysely<Database>): Promise<void> {
      if (key !== undefined || config.secretFromEnv) return;
      const reader = await db.selectFrom('subscribers').select('id').limit(1).executeTakeFirst();
      // With readers the key must already be there (read, or refused); without, it is made on first use.
      key = reader !== undefined ? resolveSecret(config, { readersExist: true }) : storedSecret(config);
    },
    current(): string {
      return (key ??= resolveSecret(config));
    },
    /**
     * The key a pass signs with: the one resolved once, after checking that its file is still
     * there. A file removed under a running process stops the pass with the "key missing" line;
     * a new key would sign links the site (which keeps the old one) rejects.
     */
    inUse(): string {
      const resolved = this.current();
      if (!config.secretFromEnv) resolveSecret(config, { readersExist: true });
      return resolved;
    },
  };
}

/** Reads the environment (`.env` under the real one) and validates it; a bad value throws ConfigError here. */
export function openApp(io: AppIo, options: AppOptions = {}): App {
  const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
  const parts = partsCache();
  const key = signingKey(config);
  // The published tips of the project as last loaded: a tip an editor adds (the scheduler reloads
  // at every tick) takes anonymous answers from then on, without a restart.
  let publishedSlugs = new Set<string>();
  const released = new WeakMap<Project, Promise<Project>>();
  const connection = (durable: boolean) =>
    parts.once(durable ? 'db:durable' : 'db', () =>
      import('./store/database.ts').then(({ openStore }) => openStore(config.database, { durable })),
    );
  // On whichever connection comes first: `send` then never opens a second one just for this.
  const migrateOn = (db: Kysely<Database>) =>
    parts.once('migrated', () =>
      import('./store/database.ts').then(async ({ migrate }) => {
        const applied = await migrate(db);
        await key.afterMigrations(db);
        return applied;
      }),
    );

  const app: App = {
    config,
    get secret() {
      return key.current();
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
    subscribers: () =>
      parts.once('subscribers', () =>
        Promise.all([app.db(), import('./store/subscribers.ts')]).then(([db, { createSubscriberStore }]) =>
          createSubscriberStore(db),
        ),
      ),
    mailer: () =>
      parts.once('mailer', () =>
        options.mailer
          ? Promise.resolve(options.mailer)
          : import('./mailer/create-mailer.ts').then(({ createMailer }) => createMailer(config)),
      ),
    project: ({ reload = false } = {}) =>
      parts.once('project', () => loadPublished(config, (slugs) => (publishedSlugs = slugs)), reload),
    released: async ({ reload = false } = {}) => {
      const loaded = await app.project({ reload });
      let made = released.get(loaded);
      if (!made) {
        made = withHolds(config, loaded, app.now());
        released.set(loaded, made);
      }
      return made;
    },
    subscriptions: () => parts.once('subscriptions', () => subscriptionsOf(app)),
    feedback: () => parts.once('feedback', () => feedbackOf(app, (slug) => publishedSlugs.has(slug))),
    logger: () => parts.once('logger', () => loggerFor(config, options.logTo)),
    limitCounter: () => limitCounterOf(app),
    metrics: () => parts.once('metrics', () => metricsOf(app)),
    deliveryPass: () => parts.once('deliveryPass', () => deliveryPassOf(app, () => key.inUse())),
    guard: () => parts.once('guard', () => guardOf(app)),
    corrections: () => parts.once('corrections', () => correctionsOf(app, () => key.inUse())),
    bounces: () => parts.once('bounces', () => bouncesOf(app)),
    importer: () => parts.once('importer', () => importerOf(app)),
    statsReader: () => parts.once('statsReader', () => statsReaderOf(app)),
    readerData: () => readerDataOf(app),
    storedReader: (normalizedEmail) => storedReaderOf(app, normalizedEmail),
    backupSqlite: (dest) => backupOf(app, dest),
    close: () => closeParts(parts, { ownMailer: !options.mailer }),
  };
  return app;
}

type Parts = ReturnType<typeof partsCache>;

/** Closes what was opened (the mailer, then the database); parts given to `openApp` stay open. */
async function closeParts(parts: Parts, { ownMailer }: { ownMailer: boolean }): Promise<void> {
  const errors: unknown[] = [];
  const closing = async <T>(part: Promise<T> | undefined, close: (made: T) => Promise<void>) => {
    // A part that failed to open has nothing to close; its error went to whoever asked for it.
    const made = await part?.then(
      (p) => p,
      () => undefined,
    );
    if (made !== undefined) await close(made).catch((e: unknown) => errors.push(e));
  };
  if (ownMailer) await closing(parts.peek<Mailer>('mailer'), (m) => m.close());
  for (const key of ['db:durable', 'db']) await closing(parts.peek<Kysely<Database>>(key), (d) => d.destroy());
  parts.forget();
  if (errors.length) throw errors[0];
}

/** Series settings, tips and the renderer; `published` learns the published tips' slugs. */
async function loadPublished(config: Config, published: (slugs: Set<string>) => void): Promise<Project> {
  const { loadProject } = await import('./render/project.ts');
  const loaded = await loadProject(config);
  published(new Set(loaded.tips.filter((t) => !t.draft).map((t) => t.slug)));
  return loaded;
}

/** The project with the tips `check` keeps from going out (see check/release-gate.ts). */
async function withHolds(config: Config, loaded: Project, now: Date): Promise<Project> {
  const { releaseHolds } = await import('./check/release-gate.ts');
  const requireReview = loaded.series.requireReview ?? config.production;
  return { ...loaded, holds: await releaseHolds(config, loaded, now, { requireReview }) };
}

async function loggerFor(config: Config, to: LogDestination | undefined): Promise<Logger> {
  const { createLogger, silentLogger } = await import('./log.ts');
  return to ? createLogger(config.logLevel, to) : silentLogger;
}

async function subscriptionsOf(app: App): Promise<Subscriptions> {
  const [store, transport, loaded, log] = await Promise.all([
    app.subscribers(),
    app.mailer(),
    app.project(),
    app.logger(),
  ]);
  return subscriptionsFor(app.config, {
    store,
    mailer: transport,
    project: loaded,
    secret: app.secret,
    onEvent: (e) => log.info(e, `subscription ${e.event}`),
  });
}

async function feedbackOf(app: App, isTip: (slug: string) => boolean): Promise<Feedback> {
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
    previousSecrets: previousSecrets(app.config),
    isTip,
  });
}

/**
 * PostgreSQL: the `rate_limits` table, shared by every replica. SQLite: undefined, each process
 * counts in memory.
 */
async function limitCounterOf(app: App): Promise<RateLimitCounter | undefined> {
  if (app.config.database.kind !== 'postgres') return undefined;
  const [db, { kyselyRateLimitCounter }] = await Promise.all([app.db(), import('./store/rate-limits.ts')]);
  return kyselyRateLimitCounter(db);
}

async function metricsOf(app: App): Promise<Metrics | undefined> {
  if (!app.config.metricsToken) return undefined;
  const [db, guard, { readStoreGauges }, { createMetrics }] = await Promise.all([
    app.db(),
    app.guard(),
    import('./store/gauges.ts'),
    import('./web/metrics.ts'),
  ]);
  const { readLinkRecord, brokenSources } = await import('./check/links.ts');
  const folder = dataDir(app.config);
  return createMetrics(
    async () => {
      const now = app.now().getTime();
      const [gauges, report, links, released] = await Promise.all([
        readStoreGauges(db, now),
        guard.status(now),
        // The last link check's file: written by whichever process ran it, read by every replica.
        readLinkRecord(folder),
        app.released(),
      ]);
      return { ...gauges, guard: report, brokenSources: brokenSources(links), holds: [...released.holds.values()] };
    },
    () => app.now().getTime(),
  );
}

/** The complaint and bounce guard over the app's store and NEWSLETTER_GUARD_*. */
async function guardOf(app: App): Promise<ComplaintGuard> {
  const [db, { kyselyGuardStore }, { complaintGuard }] = await Promise.all([
    app.db(),
    import('./store/guard-state.ts'),
    import('./delivery/complaint-guard.ts'),
  ]);
  return complaintGuard(kyselyGuardStore(db), app.config.guard);
}

/** Claims go through the durable connection: a claim survives a power cut. */
async function deliveryPassOf(app: App, secret: () => string): Promise<DeliveryPass> {
  return deliveryPassFor(app.config, { db: await app.db({ durable: true }), mailer: () => app.mailer(), secret });
}

/**
 * How the delivery pass is put together from the parts. `openApp` does it once; a test or a
 * benchmark that brings its own database or mailer does it the same way through this. `secret`
 * is read at every pass (and its dry run).
 */
export async function deliveryPassFor(
  config: Config,
  parts: { db: Kysely<Database>; mailer: () => Promise<Mailer>; secret: () => string },
): Promise<DeliveryPass> {
  const [
    { kyselyDeliveryStore },
    { kyselySenderRegistry },
    { kyselyGuardStore },
    { deliveryPass },
    { passSettings },
    { complaintGuard },
    shaping,
    warmupStore,
  ] = await Promise.all([
    import('./store/deliveries.ts'),
    import('./store/senders.ts'),
    import('./store/guard-state.ts'),
    import('./delivery/delivery-pass.ts'),
    import('./delivery/settings.ts'),
    import('./delivery/complaint-guard.ts'),
    shapingFor(config, parts.db),
    import('./store/shaping.ts').then(({ kyselyWarmupDays }) => kyselyWarmupDays(parts.db)),
  ]);
  return deliveryPass({
    store: kyselyDeliveryStore(parts.db),
    registry: kyselySenderRegistry(parts.db),
    mailer: parts.mailer,
    rate: config.rate,
    settings: () => passSettings(config, parts.secret()),
    guard: complaintGuard(kyselyGuardStore(parts.db), config.guard),
    shaping,
    warmup: warmupStore,
  });
}

/** Claims go through the durable connection, as the pass's do. */
async function correctionsOf(app: App, secret: () => string): Promise<Corrections> {
  const [db, { kyselyCorrectionStore }, { createCorrections }, { passSettings }] = await Promise.all([
    app.db({ durable: true }),
    import('./store/corrections.ts'),
    import('./delivery/corrections.ts'),
    import('./delivery/settings.ts'),
  ]);
  return createCorrections({
    store: kyselyCorrectionStore(db),
    mailer: () => app.mailer(),
    settings: () => passSettings(app.config, secret()),
  });
}

/**
 * Shaping per provider site, made once per process: MX lookups asked of NEWSLETTER_DNS_SERVERS
 * (else the system's servers), answers shared in `mx_cache` for their TTL, suspensions in `site_state`; token
 * buckets in the database on PostgreSQL (every sender shares them), in memory on SQLite.
 */
export async function shapingFor(
  config: Pick<Config, 'dnsServers' | 'siteLeaseSeconds'>,
  db: Kysely<Database>,
): Promise<Omit<ShapingParts, 'limits'>> {
  const [{ mxQuery }, { SiteResolver }, store, { memoryBuckets }, { engineOf }] = await Promise.all([
    import('./mailer/mx-query.ts'),
    import('./delivery/site-resolver.ts'),
    import('./store/shaping.ts'),
    import('./delivery/shaping.ts'),
    import('./store/engine.ts'),
  ]);
  // Asked directly (not node's resolveMx) so each answer is kept for its own TTL.
  const lookup = mxQuery(config.dnsServers);
  return {
    sites: new SiteResolver({ lookup, cache: store.kyselyMxCache(db) }),
    states: store.kyselySiteStates(db),
    buckets: engineOf(db) === 'postgres' ? store.postgresSiteBuckets(db) : memoryBuckets(),
    // The connection limit is leased fleet-wide on PostgreSQL; SQLite's senders share one machine.
    leases:
      engineOf(db) === 'postgres'
        ? store.postgresSiteLeases(db, { leaseMs: config.siteLeaseSeconds * 1000 })
        : undefined,
  };
}

async function bouncesOf(app: App): Promise<BounceParts> {
  const [db, { kyselyBounceStore }] = await Promise.all([app.db(), import('./store/bounces.ts')]);
  return { store: kyselyBounceStore(db), secret: app.secret, previousSecrets: previousSecrets(app.config) };
}

async function importerOf(app: App): Promise<ImportDeps> {
  const [db, subscriptions, { importBatch }] = await Promise.all([
    app.db(),
    app.subscriptions(),
    import('./store/import-batch.ts'),
  ]);
  return {
    rowFor: (address, input, now) => subscriptions.importedRow(address, input, now),
    writeBatch: (candidates, o) => importBatch(db, candidates, o),
  };
}

async function statsReaderOf(app: App): Promise<StatsReader> {
  const [db, guard, { seriesStats }, { bounceStats }, { createFeedbackStore }, { readRelayState }, shaping, warmup] =
    await Promise.all([
      app.db(),
      app.guard(),
      import('./store/delivery-stats.ts'),
      import('./store/bounce-stats.ts'),
      import('./store/feedback.ts'),
      import('./store/relay-state.ts'),
      import('./store/shaping.ts'),
      import('./delivery/warmup.ts'),
    ]);
  const feedback = createFeedbackStore(db);
  return {
    series: (now) => seriesStats(db, now),
    bounces: (since) => bounceStats(db, since),
    feedbackByTip: () => feedback.byTip(),
    comments: (limit) => feedback.comments(limit),
    relay: () => readRelayState(db),
    guard: (now) => guard.status(now),
    waitingFor: (project, now) => waitingFor(app.config, db, project, now),
    sites: () => shaping.readSites(db),
    async warmup(now) {
      const curve = (await app.project()).series.warmup;
      if (!curve) return undefined;
      return warmup.warmupStatus({ curve, store: shaping.kyselyWarmupDays(db), zone: app.config.timezone }, now);
    },
  };
}

/** Counts the readers a dry run of a pass finds waiting for each held tip; changes nothing. */
async function waitingFor(
  config: Config,
  db: Kysely<Database>,
  project: Project,
  now: number,
): Promise<Map<string, number>> {
  const waiting = new Map<string, number>();
  if (project.holds.size === 0) return waiting;
  const [{ kyselyDeliveryStore }, { planPass }, { passSettings }] = await Promise.all([
    import('./store/deliveries.ts'),
    import('./delivery/dispatcher.ts'),
    import('./delivery/settings.ts'),
  ]);
  // No link is signed in a dry run: the key is not read.
  const plan = planPass({
    store: kyselyDeliveryStore(db),
    series: project.series,
    tips: project.tips,
    holds: project.holds,
    now: new Date(now),
    settings: passSettings(config, ''),
  });
  for await (const line of plan)
    if (line.action === 'skip' && line.slug && project.holds.has(line.slug) && line.reason?.startsWith('waiting: week'))
      waiting.set(line.slug, (waiting.get(line.slug) ?? 0) + 1);
  return waiting;
}

async function readerDataOf(app: App): Promise<ReaderDataReport> {
  const [db, { describeReaderData }] = await Promise.all([app.db(), import('./store/reader-data.ts')]);
  return describeReaderData(db);
}

async function storedReaderOf(app: App, normalizedEmail: string): Promise<Subscriber | undefined> {
  const { database } = app.config;
  // An SQLite file that is not there yet is not created just to look someone up.
  if (database.kind === 'sqlite' && !(await import('node:fs')).existsSync(database.file)) return undefined;
  const [db, { createSubscriberStore }] = await Promise.all([
    app.db({ migrate: false }),
    import('./store/subscribers.ts'),
  ]);
  return createSubscriberStore(db).byEmail(normalizedEmail);
}

/** The database is opened (and migrated) first, so the copy is of the current schema. */
async function backupOf(app: App, dest: string): Promise<number> {
  const { database } = app.config;
  if (database.kind !== 'sqlite') throw new Error('backupSqlite: the database is not SQLite');
  await app.db();
  const { backupSqlite } = await import('./store/backup.ts');
  return backupSqlite(database.file, dest);
}

/**
 * `db copy`: every table from one database to another, each opened for the copy and closed after.
 * A refusal the operator can act on is a CopyError (see store/copy.ts).
 */
export async function copyDatabase(
  from: DatabaseConfig,
  to: DatabaseConfig,
  options: { force: boolean },
): Promise<{ name: string; rows: number }[]> {
  const [{ openStore }, { copyStore }] = await Promise.all([import('./store/database.ts'), import('./store/copy.ts')]);
  const source = openStore(from);
  const target = openStore(to);
  try {
    return await copyStore(source, target, options);
  } finally {
    await Promise.all([source.destroy(), target.destroy()]);
  }
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
