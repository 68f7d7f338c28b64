import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import { createRequire } from 'node:module';
import type { CustomTypesConfig } from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { engineOf } from './engine.ts';
import { makePrivate, preflightSqlite, storageFault } from './sqlite-faults.ts';
import * as initial from './migrations/001-initial.ts';
import * as rateLimits from './migrations/002-rate-limits.ts';
import * as senders from './migrations/003-senders.ts';
import * as bounces from './migrations/004-bounces.ts';
import * as feedback from './migrations/005-feedback.ts';
import * as relayState from './migrations/006-relay-state.ts';
import * as systemEmailQueue from './migrations/007-system-email-queue.ts';
import * as corrections from './migrations/008-corrections.ts';
import * as sendGuard from './migrations/009-send-guard.ts';
import * as shaping from './migrations/010-shaping.ts';
import * as siteLeases from './migrations/011-site-leases.ts';
import * as siteRefusals from './migrations/012-site-refusals.ts';
import type { Database } from './schema.ts';

export { engineOf, type Engine } from './engine.ts';

/**
 * Opens the configured store: the SQLite file, or a pool of connections to PostgreSQL. The
 * pool connects lazily, so a wrong URL or a server that is down shows at the first query.
 */
export function openStore(database: DatabaseConfig, options: { durable?: boolean } = {}): Kysely<Database> {
  // PostgreSQL syncs every commit already (synchronous_commit = on): `durable` has nothing to add.
  return database.kind === 'sqlite'
    ? openDatabase(database.file, options)
    : openPostgres(database.url, { pool: database.pool });
}

/**
 * A pool of `pool` connections to PostgreSQL. int8 comes back from `pg` as a string (it may not
 * fit a double); every bigint here is epoch milliseconds or a count, far below 2^53, so this
 * pool's connections read int8 as numbers. The parser is per pool, not pg's global one, so other
 * users of `pg` in the process are not changed; a value past 2^53 fails loudly instead of
 * rounding.
 */
export function openPostgres(url: string, options: { pool: number }): Kysely<Database> {
  // Required here, not imported at the top: an SQLite install never loads the driver (about 8 MB).
  const pg = require('pg') as typeof import('pg');
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'];
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pool,
    types: { getTypeParser },
    ...CONNECTION_LIMITS,
  });
  survivesLostConnections(pool);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * How long to wait for a connection (TCP, TLS and PostgreSQL's start-up): a server that is down
 * or a failover in progress fails a query after this, instead of holding a pass or a request
 * for ever; the next query tries a fresh connection. TCP keepalive finds a server that vanished
 * without closing its connections (a host that died, a partition) in minutes rather than the
 * kernel's hours.
 */
const CONNECTION_LIMITS = { connectionTimeoutMillis: 30_000, keepAlive: true, keepAliveInitialDelayMillis: 60_000 };

/**
 * A connection the server closes (a failover, a pooler restart, pg_terminate_backend) makes its
 * `pg` client emit 'error'. An idle client's goes to the pool's 'error' event; a client checked
 * out at that moment (a transaction between two statements, a pass's claim) emits on itself,
 * where nobody listens, and an 'error' event nobody listens to ends the process. Each client
 * gets a listener as it is made: the query in progress fails with the error instead (the pass
 * stops, the request answers 503), the pool drops the dead client when it comes back, and the
 * next query opens a fresh connection.
 */
function survivesLostConnections(pool: import('pg').Pool): void {
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} is too large for a JavaScript number`);
  return n;
}

/** `pg` is CommonJS: required when PostgreSQL is opened (see openPostgres). */
const require = createRequire(import.meta.url);

/** Every migration, by version; one file per version under `migrations/`. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-rate-limits': rateLimits,
  '003-senders': senders,
  '004-bounces': bounces,
  '005-feedback': feedback,
  '006-relay-state': relayState,
  '007-system-email-queue': systemEmailQueue,
  '008-corrections': corrections,
  '009-send-guard': sendGuard,
  '010-shaping': shaping,
  '011-site-leases': siteLeases,
  '012-site-refusals': siteRefusals,
};

/** Every migration's name, in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens the SQLite file (creating its folder), in WAL mode so the site and the dispatcher read
 * while the other writes, with a busy timeout so two processes wait for each other instead of
 * failing. `durable` is for connections that claim deliveries (synchronous = FULL).
 */
export function openDatabase(file: string, options: { durable?: boolean } = {}): Kysely<Database> {
  if (file !== ':memory:') {
    preflightSqlite(file);
    makePrivate(file, 'before-open');
  }
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
  } catch (e) {
    throw storageFault(e, file) ?? e;
  }
  if (file !== ':memory:') makePrivate(file, 'after-open');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // WAL + NORMAL survives any process crash. `durable` (the dispatcher's connection) also syncs
  // every commit, so after a power cut a claim is never lost and only the few messages in flight
  // can go out again; the site's many small writes skip that sync (measured: half the sign-ups a
  // second otherwise).
  sqlite.pragma(`synchronous = ${options.durable ? 'FULL' : 'NORMAL'}`);
  // SQLite's own default page cache (2 MB). better-sqlite3 builds SQLite with 16 MB per
  // connection, which a pass over a large list fills: measured, a 100,000-reader pass held 124 MB
  // against 111 MB with 2 MB, at the same rate (the OS caches the file's pages anyway).
  sqlite.pragma('cache_size = -2000');
  // Checkpoint every 1,000 pages (~4 MB, SQLite's default) and cut the log back to 4 MB after:
  // a pass then never needs more than a few MB of free space for its log (at 10,000 pages it
  // needed ~40 MB, and a nearly full disk failed half-way through a pass).
  sqlite.pragma('wal_autocheckpoint = 1000');
  sqlite.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely prepares every query anew; the dispatcher runs the same few queries thousands of times
 * a pass, so compiled statements are kept by their SQL text. A statement still busy (an open
 * streaming iterator) is never handed out twice: a fresh one is prepared instead.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      // SQLite rolls a transaction back itself on SQLITE_FULL or SQLITE_IOERR; Kysely's rollback
      // after it would fail with "cannot rollback - no transaction is active" and hide the real
      // error (disk full). With no transaction open, the rollback is a statement that does nothing.
      if (!sqlite.inTransaction && /^\s*rollback\s*$/i.test(sql)) return sqlite.prepare('select 1 where 0');
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit;
      const statement = sqlite.prepare(sql);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Applies pending migrations; returns the names applied. Several processes may start at once
 * on one fresh database, so the whole run, Kysely's creation of its own bookkeeping tables
 * included (that happens before its lock), is serialized on one connection: on PostgreSQL by a
 * session advisory lock, on SQLite by holding the write lock (BEGIN IMMEDIATE; the others wait
 * out the busy timeout). The later ones then find nothing left to do. One connection is enough,
 * so a pool of 1 works too.
 */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    if (engineOf(conn) === 'postgres') {
      await sql`select pg_advisory_lock(${sql.lit(MIGRATE_LOCK)})`.execute(conn);
      try {
        return await migrateOn(conn);
      } finally {
        await sql`select pg_advisory_unlock(${sql.lit(MIGRATE_LOCK)})`.execute(conn);
      }
    }
    await sql`begin immediate`.execute(conn);
    try {
      const applied = await migrateOn(conn);
      await sql`commit`.execute(conn);
      return applied;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    }
  });
}

/** The advisory lock key for migrations on PostgreSQL: arbitrary, fixed, distinct from Kysely's own. */
export const MIGRATE_LOCK = 7_301_146_905_213;

async function migrateOn(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}. The database was left at the last good version; fix the cause and run \`newsletter migrate\` again.`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
