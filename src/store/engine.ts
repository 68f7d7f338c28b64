import { PostgresAdapter, type Kysely } from 'kysely';

/** The two engines the store runs on; queries and migrations branch on it only where SQL differs. */
export type Engine = 'sqlite' | 'postgres';

// Kysely<any>: migrations ask too, with their own view of the schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
