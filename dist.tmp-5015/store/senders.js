// ../../work/wt/h-studio/src/store/senders.ts
import { hostname } from "node:os";
import { sql } from "../vendor/kysely.js";
import { engineOf } from "./engine.js";
function kyselySenderRegistry(db) {
  const dbNow = engineOf(db) === "postgres" ? sql`(extract(epoch from clock_timestamp()) * 1000)::bigint` : sql`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
  async function liveCount(staleMs) {
    const row = await db.selectFrom("senders").select((eb) => eb.fn.countAll().as("n")).where("seen_at", ">=", sql`${dbNow} - ${staleMs}`).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  return {
    /**
     * Adds this pass and says how many others are live. Rows silent for `staleMs` (a killed
     * process's) are cleared on the way.
     */
    async join(id, staleMs) {
      await db.deleteFrom("senders").where("seen_at", "<", sql`${dbNow} - ${staleMs}`).execute();
      const others = await liveCount(staleMs);
      await db.insertInto("senders").values({ id, host: hostname(), pid: process.pid, started_at: dbNow, seen_at: dbNow }).execute();
      return others;
    },
    /** Marks this pass alive and counts the live passes, itself included. */
    async beat(id, staleMs) {
      await db.updateTable("senders").set({ seen_at: dbNow }).where("id", "=", id).execute();
      return liveCount(staleMs);
    },
    async leave(id) {
      await db.deleteFrom("senders").where("id", "=", id).execute();
    }
  };
}
export {
  kyselySenderRegistry
};
//# sourceMappingURL=senders.js.map
