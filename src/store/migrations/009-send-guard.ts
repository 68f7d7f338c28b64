import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * The complaint and bounce guard's record, shared by every sender on the database: one row per
 * change, `paused` (by a pass that found a rate over its line) or `released` (by an operator,
 * with their reason). The newest row is the state. `seq` numbers the rows 1, 2, 3…: a change is
 * written as the next number only, so two senders that see the same crossing at once write one
 * pause between them (the second insert meets the first's key and does nothing).
 *
 * `deliveries_sent` lets the guard count the tips delivered in its 30 days at every pass from an
 * index instead of reading the whole ledger.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('guard_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deliveries_sent').on('deliveries').column('sent_at').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('deliveries_sent').execute();
  await db.schema.dropTable('guard_events').execute();
}
