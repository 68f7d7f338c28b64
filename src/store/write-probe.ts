import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { engineOf } from './engine.ts';
import type { Database } from './schema.ts';
import { writeFailureOf } from './write-failure.ts';

/** Below this much free space an SQLite write (a page, its WAL frame, a checkpoint) may fail half-way. */
export const MIN_FREE_BYTES = 1024 * 1024;

/** Thrown when the database answers but cannot take a write; `code` says why. */
export class StoreUnwritable extends Error {
  constructor(
    message: string,
    readonly code: 'disk-full' | 'read-only',
  ) {
    super(message);
    this.name = 'StoreUnwritable';
  }
}

/** Each SQLite connection's file, asked once. */
const files = new WeakMap<Kysely<Database>, string>();

/**
 * Resolves when the database answers and can take a write; throws otherwise. SQLite: the file's
 * folder must have free space and be writable (checked with statfs, no write made). PostgreSQL:
 * the session must not be read-only (a standby, or default_transaction_read_only).
 */
export async function assertWritable(db: Kysely<Database>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    const r = await sql<{ transaction_read_only: string }>`show transaction_read_only`.execute(db);
    if (r.rows[0]?.transaction_read_only === 'on') throw new StoreUnwritable('the database is read-only', 'read-only');
    return;
  }
  let file = files.get(db);
  if (file === undefined) {
    const list = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
    file = list.rows.find((r) => r.name === 'main')?.file ?? '';
    files.set(db, file);
  }
  if (!file) return; // in memory
  const fs = await statfs(path.dirname(file));
  if (fs.bavail * fs.bsize < MIN_FREE_BYTES)
    throw new StoreUnwritable('the disk that holds the database is full', 'disk-full');
}

/** A database error that means "cannot write now" (disk full, read-only), on either engine. */
export function isUnwritable(e: unknown): boolean {
  return e instanceof StoreUnwritable || writeFailureOf(e) !== undefined;
}
