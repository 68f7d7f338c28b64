import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider, type SqliteDatabase } from 'kysely';
import * as initial from './migrations/001-initial.ts';
import type { Database } from './schema.ts';

/** Every migration, by version; one file per version under `migrations/`. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens the SQLite file (creating its folder), in WAL mode so the site and the dispatcher read
 * while the other writes, with a busy timeout so two processes wait for each other instead of
 * failing. `durable` is for connections that claim deliveries (synchronous = FULL).
 */
export function openDatabase(file: string, options: { durable?: boolean } = {}): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // WAL + NORMAL survives any process crash. `durable` (the dispatcher's connection) also syncs
  // every commit, so after a power cut a claim is never lost and only the few messages in flight
  // can go out again; the site's many small writes skip that sync (measured: half the sign-ups a
  // second otherwise).
  sqlite.pragma(`synchronous = ${options.durable ? 'FULL' : 'NORMAL'}`);
  // Checkpoint every ~40 MB of WAL rather than 4 MB: a pass writes steadily, fewer checkpoints cost less.
  sqlite.pragma('wal_autocheckpoint = 10000');
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

/** Applies pending migrations; returns the names applied. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}. The database was left at the last good version; fix the cause and run \`newsletter migrate\` again.`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
