import type { Kysely } from 'kysely';
import { portable } from './portable.ts';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * Corrections reach the readers who got an older text of a tip.
 *
 * `deliveries.fingerprint` is the fingerprint (content/fingerprint.ts) of the text a sent tip
 * carried, written when the delivery is settled as sent. Rows sent before this migration have
 * none (null): what they carried is unknown, so a correction treats them as an older text (see
 * docs/editing.md, "Who is told").
 *
 * `correction_deliveries` is the corrections' own ledger: one row per (reader, tip, correction),
 * claimed ('sending', `claimed_at` its lease) before the SMTP conversation and settled after,
 * so any number of senders, and a sender killed mid-pass, tell each reader once.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('fingerprint', 'text').execute();
  const { id } = portable(db);
  await id(db.schema.createTable('correction_deliveries'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('tip_slug', 'text', (c) => c.notNull())
    // The correction's date, with `#2`, `#3` for a second or third one of the same date.
    .addColumn('correction', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('last_response', 'text')
    .addUniqueConstraint('correction_once_per_reader', ['subscriber_id', 'tip_slug', 'correction'])
    .execute();
  // Who is owed a correction: the sent deliveries of one tip.
  await db.schema.createIndex('deliveries_tip_sent').on('deliveries').columns(['tip_slug', 'state']).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('deliveries_tip_sent').execute();
  await db.schema.dropTable('correction_deliveries').execute();
  await db.schema.alterTable('deliveries').dropColumn('fingerprint').execute();
}
