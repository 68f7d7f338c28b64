import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * A site's connection limit held fleet-wide (issue 26): `site_leases` has one row per slot of a
 * site (`slot` 0 … connections − 1). A sender takes a free or expired slot by writing its
 * `holder` and an `expires_at` (the database's clock, ms), renews it while the message is in
 * flight and clears it when done; a sender that crashes loses its slots when they expire. Used
 * on PostgreSQL; made on SQLite too so both engines have the same tables (SQLite senders share
 * one machine and keep the limit in memory).
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('site_leases')
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('site_leases_pk', ['site', 'slot'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('site_leases').execute();
}
