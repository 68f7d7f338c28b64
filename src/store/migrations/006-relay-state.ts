import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * What the senders have met of the relay, for `stats` and `/metrics` in every process: one row
 * per kind of event, `connection_failure` (cause '') and `pass_stopped` (cause `relay_temporary`,
 * `relay_refused_sender`, …), each with how many passes met it and the last one's time and text.
 * The texts are the relay's answers with every address taken out: no reader is named here.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('relay_state')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('last_detail', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('relay_state_key', ['kind', 'cause'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('relay_state').execute();
}
