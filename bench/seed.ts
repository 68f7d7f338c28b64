import type { DatabaseConfig } from '../src/config.ts';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import path from 'node:path';
import { openApp } from '../src/app.ts';

export interface SeedRow {
  status: 'active' | 'pending' | 'paused' | 'unsubscribed' | 'bounced';
  nextSendAt: number | null;
}

/**
 * Writes `n` subscriber rows into a fresh, migrated SQLite file, straight through better-sqlite3
 * in one transaction (Kysely's multi-row inserts would take minutes at a million rows). `row(i)`
 * says each one's status and next send time; the rest is what a confirmed sign-up looks like.
 */
/** The benchmark seeds an SQLite file straight through better-sqlite3. */
export function sqliteFileOf(database: DatabaseConfig): string {
  if (database.kind !== 'sqlite') throw new Error('the benchmark seeds an SQLite file; unset NEWSLETTER_DATABASE_URL');
  return database.file;
}

export async function seedSubscribers(
  file: string,
  n: number,
  row: (i: number) => SeedRow,
  at = Date.UTC(2026, 0, 1),
): Promise<void> {
  const app = openApp({ cwd: path.dirname(file), env: { NEWSLETTER_DATABASE_URL: `sqlite:${file}` } });
  await app.migrate();
  // The key a real install made when its first reader signed up: without it, opening a database
  // that has readers is refused (a new key would break every link already sent).
  void app.secret;
  await app.close();
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const insert = sqlite.prepare(
    `INSERT INTO subscribers (public_id, email, email_normalized, name, status, timezone, send_time, consent_at, consent_source,
       created_at, confirmed_at, status_changed_at, next_send_at, last_sent_at, cycle)
     VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, 'cli', ?, ?, ?, ?, NULL, 0)`,
  );
  const chunk = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = row(i);
      const email = `reader${i}@example.org`;
      insert.run(
        randomBytes(12).toString('base64url'),
        email,
        email,
        `Reader ${i}`,
        r.status,
        at,
        at,
        r.status === 'pending' ? null : at,
        at,
        r.nextSendAt,
      );
    }
  });
  for (let i = 0; i < n; i += 50_000) chunk(i, Math.min(n, i + 50_000));
  sqlite.close();
}
