import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * The site's abuse limits, shared by every site process on one database. One row per limited
 * key (`subscribe-ip:203.0.113.7`): the window began at `window_start` (ms) and has seen `count`
 * requests. One row per key, not per window, so a window starts at a key's first request, as
 * the in-memory limiter does, and the limit cannot be doubled across a clock-aligned boundary.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('rate_limits')
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
