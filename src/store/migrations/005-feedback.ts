import type { Kysely } from 'kysely';
import { portable } from './portable.ts';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * "Did this help?": one row per answer. From an email, the reader's row (one answer per reader
 * and tip, replaced when they change it; it goes when the reader is erased). From the public tip
 * page, no reader at all: `subscriber_id` is null, and nothing else about the visitor is kept.
 * Both engines treat nulls as distinct in a unique constraint, so anonymous rows never collide.
 */
export async function up(db: Db): Promise<void> {
  const { id } = portable(db);
  await id(db.schema.createTable('feedback'))
    .addColumn('subscriber_id', 'integer', (c) => c.references('subscribers.id').onDelete('cascade'))
    .addColumn('tip_slug', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('feedback_once_per_reader', ['subscriber_id', 'tip_slug'])
    .execute();
  // The editors' counts group by tip.
  await db.schema.createIndex('feedback_tip').on('feedback').columns(['tip_slug', 'answer']).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('feedback').execute();
}
