import type { Kysely } from 'kysely';
import { loadConfig, readEnv, resolveSecret, type Config } from './config.ts';
import type { Mailer } from './mailer/mailer.ts';
import type { Project } from './render/project.ts';
import type { Database } from './store/schema.ts';
import type { SubscriberStore } from './store/subscribers.ts';
import type { Subscriptions } from './subscription/subscriptions.ts';

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
  /** The opt-in, unsubscribe and preference rules over this app's store, mailer and project. */
  subscriptions(): Promise<Subscriptions>;
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

  function connection(durable: boolean): Promise<Kysely<Database>> {
    let db = connections.get(durable);
    if (!db) {
      db = import('./store/database.ts').then(({ openStore }) => openStore(config.database, { durable }));
      connections.set(durable, db);
    }
    return db;
  }
  // On whichever connection comes first: `send` then never opens a second one just for this.
  const migrateOn = (db: Kysely<Database>) => (migrated ??= import('./store/database.ts').then(({ migrate }) => migrate(db)));

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
      return (subscribers ??= Promise.all([app.db(), import('./store/subscribers.ts')]).then(([db, { createSubscriberStore }]) => createSubscriberStore(db)));
    },
    mailer() {
      return (mailer ??= options.mailer ? Promise.resolve(options.mailer) : import('./mailer/create-mailer.ts').then(({ createMailer }) => createMailer(config)));
    },
    project({ reload = false } = {}) {
      if (!project || reload) project = import('./render/project.ts').then(({ loadProject }) => loadProject(config));
      return project;
    },
    subscriptions() {
      return (subscriptions ??= (async () => {
        const [store, transport, loaded] = await Promise.all([app.subscribers(), app.mailer(), app.project()]);
        return subscriptionsFor(config, { store, mailer: transport, project: loaded, secret: app.secret });
      })());
    },
    async close() {
      const errors: unknown[] = [];
      const closing = async <T>(part: Promise<T> | undefined, close: (made: T) => Promise<void>) => {
        // A part that failed to open has nothing to close; its error went to whoever asked for it.
        const made = await part?.then((p) => p, () => undefined);
        if (made !== undefined) await close(made).catch((e: unknown) => errors.push(e));
      };
      if (!options.mailer) await closing(mailer, (m) => m.close());
      for (const db of connections.values()) await closing(db, (d) => d.destroy());
      mailer = project = subscribers = subscriptions = migrated = undefined;
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
  config: Pick<Config, 'baseUrl' | 'from' | 'timezone'>,
  parts: { store: SubscriberStore; mailer: Mailer; project: Pick<Project, 'series' | 'renderer'>; secret: string },
): Promise<Subscriptions> {
  const [{ createSubscriptions }, { senderOf }] = await Promise.all([import('./subscription/subscriptions.ts'), import('./mailer/headers.ts')]);
  const { series, renderer } = parts.project;
  return createSubscriptions({
    store: parts.store,
    mailer: parts.mailer,
    renderer,
    series,
    baseUrl: config.baseUrl,
    secret: parts.secret,
    from: senderOf(series, config.from),
    defaultTimezone: config.timezone,
  });
}
