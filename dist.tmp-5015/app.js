// ../../work/wt/h-studio/src/app.ts
import {
  loadConfig,
  previousSecrets,
  readEnv,
  resolveSecret,
  storedSecret
} from "./config.js";
import { describeWriteFailure } from "./store/write-failure.js";
import { connectionLossText, isConnectionLost } from "./store/connection-errors.js";
function partsCache() {
  const made = /* @__PURE__ */ new Map();
  return {
    once(key, make, remake = false) {
      let part = made.get(key);
      if (!part || remake) {
        part = make();
        made.set(key, part);
      }
      return part;
    },
    peek(key) {
      return made.get(key);
    },
    forget: () => made.clear()
  };
}
function signingKey(config) {
  let key;
  return {
    async afterMigrations(db) {
      if (key !== void 0 || config.secretFromEnv) return;
      const reader = await db.selectFrom("subscribers").select("id").limit(1).executeTakeFirst();
      key = reader !== void 0 ? resolveSecret(config, { readersExist: true }) : storedSecret(config);
    },
    current() {
      return key ??= resolveSecret(config);
    },
    /**
     * The key a pass signs with: the one resolved once, after checking that its file is still
     * there. A file removed under a running process stops the pass with the "key missing" line;
     * a new key would sign links the site (which keeps the old one) rejects.
     */
    inUse() {
      const resolved = this.current();
      if (!config.secretFromEnv) resolveSecret(config, { readersExist: true });
      return resolved;
    }
  };
}
function openApp(io, options = {}) {
  const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
  const parts = partsCache();
  const key = signingKey(config);
  let publishedSlugs = /* @__PURE__ */ new Set();
  const connection = (durable) => parts.once(
    durable ? "db:durable" : "db",
    () => import("./store/database.js").then(({ openStore }) => openStore(config.database, { durable }))
  );
  const migrateOn = (db) => parts.once(
    "migrated",
    () => import("./store/database.js").then(async ({ migrate }) => {
      const applied = await migrate(db);
      await key.afterMigrations(db);
      return applied;
    })
  );
  const app = {
    config,
    get secret() {
      return key.current();
    },
    now: () => io.now ? io.now() : /* @__PURE__ */ new Date(),
    async db({ durable = false, migrate = true } = {}) {
      const db = await connection(durable);
      if (migrate) await migrateOn(db);
      return db;
    },
    async migrate() {
      return migrateOn(await connection(false));
    },
    subscribers: () => parts.once(
      "subscribers",
      () => Promise.all([app.db(), import("./store/subscribers.js")]).then(
        ([db, { createSubscriberStore }]) => createSubscriberStore(db)
      )
    ),
    mailer: () => parts.once(
      "mailer",
      () => options.mailer ? Promise.resolve(options.mailer) : import("./mailer/create-mailer.js").then(({ createMailer }) => createMailer(config))
    ),
    project: ({ reload = false } = {}) => parts.once("project", () => loadPublished(config, (slugs) => publishedSlugs = slugs), reload),
    subscriptions: () => parts.once("subscriptions", () => subscriptionsOf(app)),
    feedback: () => parts.once("feedback", () => feedbackOf(app, (slug) => publishedSlugs.has(slug))),
    logger: () => parts.once("logger", () => loggerFor(config, options.logTo)),
    limitCounter: () => limitCounterOf(app),
    metrics: () => parts.once("metrics", () => metricsOf(app)),
    deliveryPass: () => parts.once("deliveryPass", () => deliveryPassOf(app, () => key.inUse())),
    bounces: () => parts.once("bounces", () => bouncesOf(app)),
    importer: () => parts.once("importer", () => importerOf(app)),
    statsReader: () => parts.once("statsReader", () => statsReaderOf(app)),
    readerData: () => readerDataOf(app),
    storedReader: (normalizedEmail) => storedReaderOf(app, normalizedEmail),
    backupSqlite: (dest) => backupOf(app, dest),
    close: () => closeParts(parts, { ownMailer: !options.mailer })
  };
  return app;
}
async function closeParts(parts, { ownMailer }) {
  const errors = [];
  const closing = async (part, close) => {
    const made = await part?.then(
      (p) => p,
      () => void 0
    );
    if (made !== void 0) await close(made).catch((e) => errors.push(e));
  };
  if (ownMailer) await closing(parts.peek("mailer"), (m) => m.close());
  for (const key of ["db:durable", "db"]) await closing(parts.peek(key), (d) => d.destroy());
  parts.forget();
  if (errors.length) throw errors[0];
}
async function loadPublished(config, published) {
  const { loadProject } = await import("./render/project.js");
  const loaded = await loadProject(config);
  published(new Set(loaded.tips.filter((t) => !t.draft).map((t) => t.slug)));
  return loaded;
}
async function loggerFor(config, to) {
  const { createLogger, silentLogger } = await import("./log.js");
  return to ? createLogger(config.logLevel, to) : silentLogger;
}
async function subscriptionsOf(app) {
  const [store, transport, loaded, log] = await Promise.all([
    app.subscribers(),
    app.mailer(),
    app.project(),
    app.logger()
  ]);
  return subscriptionsFor(app.config, {
    store,
    mailer: transport,
    project: loaded,
    secret: app.secret,
    onEvent: (e) => log.info(e, `subscription ${e.event}`)
  });
}
async function feedbackOf(app, isTip) {
  const [db, store, , { createFeedbackStore }, { createFeedback }] = await Promise.all([
    app.db(),
    app.subscribers(),
    app.project(),
    import("./store/feedback.js"),
    import("./subscription/feedback.js")
  ]);
  return createFeedback({
    store: createFeedbackStore(db),
    subscribers: store,
    secret: app.secret,
    previousSecrets: previousSecrets(app.config),
    isTip
  });
}
async function limitCounterOf(app) {
  if (app.config.database.kind !== "postgres") return void 0;
  const [db, { kyselyRateLimitCounter }] = await Promise.all([app.db(), import("./store/rate-limits.js")]);
  return kyselyRateLimitCounter(db);
}
async function metricsOf(app) {
  if (!app.config.metricsToken) return void 0;
  const [db, { readStoreGauges }, { createMetrics }] = await Promise.all([
    app.db(),
    import("./store/gauges.js"),
    import("./web/metrics.js")
  ]);
  return createMetrics(() => readStoreGauges(db, app.now().getTime()));
}
async function deliveryPassOf(app, secret) {
  return deliveryPassFor(app.config, { db: await app.db({ durable: true }), mailer: () => app.mailer(), secret });
}
async function deliveryPassFor(config, parts) {
  const [{ kyselyDeliveryStore }, { kyselySenderRegistry }, { deliveryPass }, { passSettings }] = await Promise.all([
    import("./store/deliveries.js"),
    import("./store/senders.js"),
    import("./delivery/delivery-pass.js"),
    import("./delivery/settings.js")
  ]);
  return deliveryPass({
    store: kyselyDeliveryStore(parts.db),
    registry: kyselySenderRegistry(parts.db),
    mailer: parts.mailer,
    rate: config.rate,
    settings: () => passSettings(config, parts.secret())
  });
}
async function bouncesOf(app) {
  const [db, { kyselyBounceStore }] = await Promise.all([app.db(), import("./store/bounces.js")]);
  return { store: kyselyBounceStore(db), secret: app.secret, previousSecrets: previousSecrets(app.config) };
}
async function importerOf(app) {
  const [db, subscriptions, { importBatch }] = await Promise.all([
    app.db(),
    app.subscriptions(),
    import("./store/import-batch.js")
  ]);
  return {
    rowFor: (address, input, now) => subscriptions.importedRow(address, input, now),
    writeBatch: (candidates, o) => importBatch(db, candidates, o)
  };
}
async function statsReaderOf(app) {
  const [db, { seriesStats }, { bounceStats }, { createFeedbackStore }, { readRelayState }] = await Promise.all([
    app.db(),
    import("./store/delivery-stats.js"),
    import("./store/bounce-stats.js"),
    import("./store/feedback.js"),
    import("./store/relay-state.js")
  ]);
  const feedback = createFeedbackStore(db);
  return {
    series: (now) => seriesStats(db, now),
    bounces: (since) => bounceStats(db, since),
    feedbackByTip: () => feedback.byTip(),
    comments: (limit) => feedback.comments(limit),
    relay: () => readRelayState(db)
  };
}
async function readerDataOf(app) {
  const [db, { describeReaderData }] = await Promise.all([app.db(), import("./store/reader-data.js")]);
  return describeReaderData(db);
}
async function storedReaderOf(app, normalizedEmail) {
  const { database } = app.config;
  if (database.kind === "sqlite" && !(await import("node:fs")).existsSync(database.file)) return void 0;
  const [db, { createSubscriberStore }] = await Promise.all([
    app.db({ migrate: false }),
    import("./store/subscribers.js")
  ]);
  return createSubscriberStore(db).byEmail(normalizedEmail);
}
async function backupOf(app, dest) {
  const { database } = app.config;
  if (database.kind !== "sqlite") throw new Error("backupSqlite: the database is not SQLite");
  await app.db();
  const { backupSqlite } = await import("./store/backup.js");
  return backupSqlite(database.file, dest);
}
async function copyDatabase(from, to, options) {
  const [{ openStore }, { copyStore }] = await Promise.all([import("./store/database.js"), import("./store/copy.js")]);
  const source = openStore(from);
  const target = openStore(to);
  try {
    return await copyStore(source, target, options);
  } finally {
    await Promise.all([source.destroy(), target.destroy()]);
  }
}
async function subscriptionsFor(config, parts) {
  const [{ createSubscriptions }, { senderOf }, { systemReturnPathFor }] = await Promise.all([
    import("./subscription/subscriptions.js"),
    import("./mailer/headers.js"),
    import("./bounces/verp.js")
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
    ...config.confirmationQueue !== void 0 ? { confirmationQueueLimit: config.confirmationQueue } : {},
    ...bounceAddress ? { returnPath: (id, now) => systemReturnPathFor(bounceAddress, parts.secret, id, now) } : {},
    ...parts.onEvent ? { onEvent: parts.onEvent } : {}
  });
}
export {
  connectionLossText,
  copyDatabase,
  deliveryPassFor,
  describeWriteFailure,
  isConnectionLost,
  openApp,
  subscriptionsFor
};
//# sourceMappingURL=app.js.map
