import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeDatabase, type DatabaseConfig } from '../../src/config.ts';
import { migrate, openStore } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';

/**
 * The store's contract tests run once per engine: on a real SQLite file in a temp folder and on
 * a fresh PostgreSQL database made for the test file (CREATE DATABASE, DROP at the end). The
 * PostgreSQL admin connection comes from NEWSLETTER_TEST_POSTGRES_URL (default: the local
 * server, user postgres). Without a server the PostgreSQL half skips and says how to run it;
 * in CI (CI=true) it fails instead, so a broken set-up never passes as green.
 */
export const POSTGRES_ADMIN_URL =
  process.env.NEWSLETTER_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export type EngineName = 'sqlite' | 'postgres';

export interface TestEngine {
  name: EngineName;
  /** Why this engine's half is skipped here; undefined when it runs. */
  skipped?: string;
}

async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (e) {
    const why = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    return `cannot reach PostgreSQL at ${describeDatabase({ kind: 'postgres', url: POSTGRES_ADMIN_URL, pool: 1 })} (${why})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const unavailable = await postgresUnavailable();
if (unavailable) {
  const how =
    'start PostgreSQL (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), or set NEWSLETTER_TEST_POSTGRES_URL to a server where this user may CREATE DATABASE';
  if (process.env.CI === 'true') throw new Error(`the PostgreSQL store tests must run in CI: ${unavailable}; ${how}`);
  console.warn(`[PostgreSQL store tests skipped] ${unavailable}. To run them: ${how}.`);
}

/** Both engines, SQLite first; the PostgreSQL one carries `skipped` when no server answers. */
export const engines: readonly TestEngine[] = [
  { name: 'sqlite' },
  unavailable ? { name: 'postgres', skipped: unavailable } : { name: 'postgres' },
];

/** `describe` once per engine, titled `name [engine]`; a skipped engine's half shows as skipped. */
export function describeEachEngine(name: string, body: (engine: TestEngine) => void, only?: TestEngine['name']): void {
  // `only`: a behaviour one engine has and the other cannot (row locks), not registered at all
  // on the other, so no test shows as skipped where it can never run.
  for (const engine of engines.filter((e) => !only || e.name === only))
    (engine.skipped ? describe.skip : describe)(`${name} [${engine.name}]`, () => body(engine));
}

export interface TestStore {
  /** The store's own connection (a pool of 4 on PostgreSQL), migrated unless told otherwise. */
  readonly db: Kysely<Database>;
  /** Where the store lives, as the config would say it. */
  readonly database: DatabaseConfig;
  /** The same place as NEWSLETTER_DATABASE_URL says it, for a command or an app under test. */
  readonly url: string;
  /**
   * Another, independent opening of the same database (its own pool: another process's view),
   * with `pool` connections on PostgreSQL. Closed at the end.
   */
  open(options?: { pool?: number }): Kysely<Database>;
}

/**
 * A fresh database on `engine` for the enclosing describe block: made in beforeAll, gone in
 * afterAll (every connection opened through it is closed first).
 */
export function useTestStore(engine: TestEngine, options: { migrate?: boolean } = {}): TestStore {
  let database: DatabaseConfig | undefined;
  let db: Kysely<Database> | undefined;
  let drop: (() => Promise<void>) | undefined;
  const opened: Kysely<Database>[] = [];
  const open = ({ pool }: { pool?: number } = {}) => {
    if (!database) throw new Error('useTestStore: the database is made in beforeAll');
    const made = openStore(database.kind === 'postgres' && pool ? { ...database, pool } : database);
    opened.push(made);
    return made;
  };
  beforeAll(async () => {
    ({ database, drop } = engine.name === 'sqlite' ? await sqliteDatabase() : await postgresDatabase());
    db = open();
    if (options.migrate !== false) await migrate(db);
  });
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
    await drop?.();
  });
  return {
    get db() {
      if (!db) throw new Error('useTestStore: the database is made in beforeAll');
      return db;
    },
    get database() {
      if (!database) throw new Error('useTestStore: the database is made in beforeAll');
      return database;
    },
    get url() {
      const d = this.database;
      return d.kind === 'sqlite' ? `sqlite:${d.file}` : d.url;
    },
    open,
  };
}

async function sqliteDatabase(): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-store-'));
  return {
    database: { kind: 'sqlite', file: path.join(dir, 'test.db') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function postgresDatabase(): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }> {
  const name = `ncw_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString(), pool: 4 },
    // FORCE: a connection a failed test left open must not keep the database alive.
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
