import type { Kysely } from 'kysely';
import { portable } from './portable.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * Bounces and complaints that arrive after the SMTP conversation (DSNs, ARF reports, ESP
 * webhooks), and an operator lifting a bounce: one row per event, tied to the reader (erased with
 * them) and, where known, to the delivery it was about. `event_key` is unique, so the same report
 * ingested twice (an MTA retrying a pipe, a webhook resent) counts once.
 * `webhook_tokens` remembers the Mailgun tokens seen within the signature window, in the
 * database so replay protection holds across site replicas and restarts.
 */
export async function up(db: Db): Promise<void> {
  const { id } = portable(db);
  await id(db.schema.createTable('bounce_events'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('delivery_id', 'integer', (c) => c.references('deliveries.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('detail', 'text')
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bounce_events_subscriber')
    .on('bounce_events')
    .columns(['subscriber_id', 'received_at'])
    .execute();
  await db.schema.createIndex('bounce_events_delivery').on('bounce_events').column('delivery_id').execute();
  await db.schema.createIndex('bounce_events_received').on('bounce_events').column('received_at').execute();

  await db.schema
    .createTable('webhook_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_tokens_seen_at').on('webhook_tokens').column('seen_at').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('webhook_tokens').execute();
  await db.schema.dropTable('bounce_events').execute();
}
