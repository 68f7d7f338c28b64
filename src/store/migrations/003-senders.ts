import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * Several sender processes on one database: `senders` holds one row per pass in progress, kept
 * fresh by a heartbeat, so each pass can take its share of NEWSLETTER_RATE; and a welcome retry
 * is claimed (`system_emails.claimed_at`) before it is sent, so two senders' chores never send
 * the same welcome twice.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('senders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('system_emails').addColumn('claimed_at', 'bigint').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('system_emails').dropColumn('claimed_at').execute();
  await db.schema.dropTable('senders').execute();
}
