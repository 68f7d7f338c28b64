import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

/**
 * The few column forms that SQLite and PostgreSQL spell differently, for migrations that run on
 * both. Everything else in a migration is written once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function portable(db: Kysely<any>) {
  const engine = engineOf(db);
  return {
    engine,
    /**
     * The row id: SQLite's `integer primary key autoincrement` (ids never reused, as before);
     * on PostgreSQL an identity column. `by default`, not `always`, so a copy between stores can
     * keep the ids that rows reference each other by (then it must move the sequence past them).
     */
    id: <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
      table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) =>
        engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      ),
  };
}
