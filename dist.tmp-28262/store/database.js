// ../../work/wt/h-studio/src/store/database.ts
import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql
} from "../vendor/kysely.js";
import { createRequire } from "node:module";
import { engineOf } from "./engine.js";
import { makePrivate, preflightSqlite, storageFault } from "./sqlite-faults.js";
import * as initial from "./migrations/001-initial.js";
import * as rateLimits from "./migrations/002-rate-limits.js";
import * as senders from "./migrations/003-senders.js";
import * as bounces from "./migrations/004-bounces.js";
import * as feedback from "./migrations/005-feedback.js";
import * as relayState from "./migrations/006-relay-state.js";
import * as systemEmailQueue from "./migrations/007-system-email-queue.js";
import { engineOf as engineOf2 } from "./engine.js";
function openStore(database, options = {}) {
  return database.kind === "sqlite" ? openDatabase(database.file, options) : openPostgres(database.url, { pool: database.pool });
}
function openPostgres(url, options) {
  const pg = require2("pg");
  const getTypeParser = ((oid, format) => oid === pg.types.builtins.INT8 && format !== "binary" ? parseInt8 : pg.types.getTypeParser(oid, format));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pool,
    types: { getTypeParser },
    ...CONNECTION_LIMITS
  });
  survivesLostConnections(pool);
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}
var CONNECTION_LIMITS = { connectionTimeoutMillis: 3e4, keepAlive: true, keepAliveInitialDelayMillis: 6e4 };
function survivesLostConnections(pool) {
  pool.on("error", () => {
  });
  pool.on("connect", (client) => {
    client.on("error", () => {
    });
  });
}
function parseInt8(text) {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} is too large for a JavaScript number`);
  return n;
}
var require2 = createRequire(import.meta.url);
var migrations = {
  "001-initial": initial,
  "002-rate-limits": rateLimits,
  "003-senders": senders,
  "004-bounces": bounces,
  "005-feedback": feedback,
  "006-relay-state": relayState,
  "007-system-email-queue": systemEmailQueue
};
var MIGRATION_NAMES = Object.keys(migrations).sort();
var provider = { getMigrations: async () => migrations };
function openDatabase(file, options = {}) {
  if (file !== ":memory:") {
    preflightSqlite(file);
    makePrivate(file, "before-open");
  }
  let sqlite;
  try {
    sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
  } catch (e) {
    throw storageFault(e, file) ?? e;
  }
  if (file !== ":memory:") makePrivate(file, "after-open");
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`synchronous = ${options.durable ? "FULL" : "NORMAL"}`);
  sqlite.pragma("cache_size = -2000");
  sqlite.pragma("wal_autocheckpoint = 1000");
  sqlite.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
  return new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}
var STATEMENT_CACHE_SIZE = 200;
function withStatementCache(sqlite) {
  const cache = /* @__PURE__ */ new Map();
  return {
    close: () => sqlite.close(),
    prepare(sql2) {
      if (!sqlite.inTransaction && /^\s*rollback\s*$/i.test(sql2)) return sqlite.prepare("select 1 where 0");
      const hit = cache.get(sql2);
      if (hit && !hit.busy) return hit;
      const statement = sqlite.prepare(sql2);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value);
        cache.set(sql2, statement);
      }
      return statement;
    }
  };
}
async function migrate(db) {
  return db.connection().execute(async (conn) => {
    if (engineOf(conn) === "postgres") {
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
      await sql`rollback`.execute(conn).catch(() => {
      });
      throw e;
    }
  });
}
var MIGRATE_LOCK = 7301146905213;
async function migrateOn(db) {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "a migration";
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}. The database was left at the last good version; fix the cause and run \`newsletter migrate\` again.`
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
export {
  MIGRATE_LOCK,
  MIGRATION_NAMES,
  engineOf2 as engineOf,
  migrate,
  openDatabase,
  openPostgres,
  openStore
};
//# sourceMappingURL=database.js.map
