import { hostname } from 'node:os';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { engineOf } from './engine.ts';
import type { Database } from './schema.ts';

/**
 * The registry of dispatch passes in progress, across every process on this database. Times come
 * from the database's clock, not the process's: senders on different machines then agree on who
 * is live however far their own clocks drift apart.
 */
export function kyselySenderRegistry(db: Kysely<Database>) {
  const dbNow: RawBuilder<number> =
    engineOf(db) === 'postgres'
      ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
      : sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
  async function liveCount(staleMs: number): Promise<number> {
    const row = await db
      .selectFrom('senders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seen_at', '>=', sql<number>`${dbNow} - ${staleMs}`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  return {
    /**
     * Adds this pass and says how many others are live. Rows silent for `staleMs` (a killed
     * process's) are cleared on the way.
     */
    async join(id: string, staleMs: number): Promise<number> {
      await db
        .deleteFrom('senders')
        .where('seen_at', '<', sql<number>`${dbNow} - ${staleMs}`)
        .execute();
      const others = await liveCount(staleMs);
      await db
        .insertInto('senders')
        .values({ id, host: hostname(), pid: process.pid, started_at: dbNow, seen_at: dbNow })
        .execute();
      return others;
    },
    /** Marks this pass alive and counts the live passes, itself included. */
    async beat(id: string, staleMs: number): Promise<number> {
      await db.updateTable('senders').set({ seen_at: dbNow }).where('id', '=', id).execute();
      return liveCount(staleMs);
    },
    async leave(id: string): Promise<void> {
      await db.deleteFrom('senders').where('id', '=', id).execute();
    },
  };
}
