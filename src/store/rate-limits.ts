import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Where a key's window stands after a request was counted (or, for `read`, before). */
export interface LimitWindow {
  count: number;
  /** When the key's current window began (ms since the epoch). */
  windowStart: number;
}

/**
 * Request counts shared by every process on one database, for the site's abuse limits. A
 * window begins at a key's first request and lasts `windowMs`; the request after it ends
 * starts a new one.
 */
export interface RateLimitCounter {
  /** Counts one request for `key` at `now`; one statement, so two processes never lose a count. */
  hit(key: string, windowMs: number, now: number): Promise<LimitWindow>;
  /** The key's window without counting; count 0 when there is none or it is over. */
  read(key: string, windowMs: number, now: number): Promise<LimitWindow>;
  /** Deletes windows that began before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

export function kyselyRateLimitCounter(db: Kysely<Database>): RateLimitCounter {
  return {
    async hit(key, windowMs, now) {
      // INSERT … ON CONFLICT DO UPDATE is atomic on both engines: PostgreSQL locks the row
      // and re-reads its latest version, SQLite holds the write lock. Every SET expression
      // reads the row as it was, so the window test is the same in both assignments.
      const over = sql<boolean>`rate_limits.window_start <= ${now - windowMs}`;
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: now, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when ${over} then 1 else rate_limits.count + 1 end`,
            window_start: sql<number>`case when ${over} then ${now} else rate_limits.window_start end`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },
    async read(key, windowMs, now) {
      const row = await db
        .selectFrom('rate_limits')
        .select(['count', 'window_start'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row || Number(row.window_start) <= now - windowMs) return { count: 0, windowStart: now };
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },
    async prune(before) {
      const result = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
