import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * Sending shaped per provider site (issue 26), shared by every sender on the database:
 * - `mx_cache`: a recipient domain's MX hosts and the site they roll up to, until `expires_at`
 *   (domains only, never an address);
 * - `site_state`: a site's deferral reflex (suspended until, back-off level, why) and its sent and
 *   deferred counters for `stats` and `/metrics`;
 * - `site_buckets`: a site's token bucket (GCRA: its theoretical arrival time), on PostgreSQL;
 * - `warmup_days`: how many new tips the fleet sent on each warm-up day.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('mx_cache')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('mx', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('site_state')
    .addColumn('site', 'text', (c) => c.primaryKey())
    .addColumn('suspended_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('suspended_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deferred', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('site_buckets')
    .addColumn('site', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('warmup_days')
    .addColumn('day', 'integer', (c) => c.primaryKey())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['warmup_days', 'site_buckets', 'site_state', 'mx_cache'])
    await db.schema.dropTable(table).execute();
}
