import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * The site's abuse limits, shared by every site process on one database. One row per limited
 * key (`subscribe-ip:203.0.113.7`): the window began at `window_start` (ms) and has seen `count`
 * requests. One row per key, not per window, so a window starts at a key's first request, as
 * the in-memory limiter does, and the limit cannot be doubled across a clock-aligned boundary.
 */
export async function up(db: Db): Promise<void> {
  const table = db.schema.createTable('rate_limits');
  // UNLOGGED on PostgreSQL: no WAL, so a sign-up's two counts do not each wait for a disk flush
  // (measured here, 10 clients: 3,500–6,400 counts/s logged, 8,400–8,900 unlogged; with a logged
  // table POST /subscribe lost about half its rate). A crash empties the table: it forgets at
  // most one window of counts.
  await (engineOf(db) === 'postgres' ? table.modifyFront(sql`unlogged`) : table)
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
  // Pruning deletes windows long over without reading the table.
  await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
