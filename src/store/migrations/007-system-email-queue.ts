import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `system_emails` becomes the durable queue of confirmations, welcomes and goodbyes: a row is
 * written with the change that calls for it (in its transaction) and stays `queued` until it is
 * `sent`, refused for good (`failed`), past its expiry (`expired`) or no longer wanted
 * (`cancelled`). `next_attempt_at` is when it may be tried again, `attempts` how often it was,
 * `last_error` the server's last answer; `claimed_at` (migration 003) is the sender's lease.
 *
 * Existing rows: sent ones are `sent`. Unsent ones were welcomes waiting for a retry (a failed
 * confirmation or goodbye used to be deleted) or emails in flight at the upgrade: they are
 * queued, with the welcome's old schedule (5 minutes after, for 72 hours; a confirmation for the
 * 7 days of its link). Those already past it expire at the first drain.
 */
export async function up(db: Db): Promise<void> {
  // SQLite takes one ADD COLUMN per statement.
  await db.schema
    .alterTable('system_emails')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('sent'))
    .execute();
  await db.schema
    .alterTable('system_emails')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('system_emails').addColumn('next_attempt_at', 'bigint').execute();
  await db.schema.alterTable('system_emails').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('system_emails').addColumn('last_error', 'text').execute();
  await db
    .updateTable('system_emails')
    .set({
      state: 'queued',
      next_attempt_at: sql`created_at + ${sql.lit(5 * MINUTE)}`,
      expires_at: sql`created_at + case when kind = 'confirm' then ${sql.lit(7 * DAY)} else ${sql.lit(72 * HOUR)} end`,
    })
    .where('sent_at', 'is', null)
    .execute();
  // The drain's query: queued rows by when they are due.
  await db.schema
    .createIndex('system_emails_queue')
    .on('system_emails')
    .columns(['state', 'next_attempt_at'])
    .execute();
  // The sign-up's count of one address's confirmations in the last day, and the cascade on erasure.
  await db.schema
    .createIndex('system_emails_subscriber')
    .on('system_emails')
    .columns(['subscriber_id', 'kind', 'created_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('system_emails_subscriber').execute();
  await db.schema.dropIndex('system_emails_queue').execute();
  for (const column of ['last_error', 'expires_at', 'next_attempt_at', 'attempts', 'state']) {
    await db.schema.alterTable('system_emails').dropColumn(column).execute();
  }
}
