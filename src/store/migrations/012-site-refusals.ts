import type { Kysely } from 'kysely';

// Migrations take Kysely<any> on purpose: they describe past schemas, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/**
 * A provider's policy refusal suspends only its site (issue 20 row 2 with issue 26): the step
 * reached on the refusal ladder (1 h doubling to 24 h, see delivery/site-refusals.ts) is kept
 * apart from the deferral reflex's `level`, so neither ladder climbs the other's steps.
 * -1: never suspended for a refusal.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('site_state')
    .addColumn('refusal_level', 'integer', (c) => c.notNull().defaultTo(-1))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('site_state').dropColumn('refusal_level').execute();
}
