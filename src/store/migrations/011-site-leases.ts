import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

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
 *
 * UNLOGGED on PostgreSQL: two writes per message must not each wait for a WAL flush (measured:
 * 4 ms a statement on a plain table, bench/site-leases.ts). The price is that a database crash
 * or a failover empties it: every slot is free again, which is what a restarted fleet needs
 * anyway, and the senders make the rows again (store/shaping.ts).
 */
export async function up(db: Db): Promise<void> {
  let table = db.schema.createTable('site_leases');
  if (engineOf(db) === 'postgres') table = table.modifyFront(sql`unlogged`);
  await table
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
