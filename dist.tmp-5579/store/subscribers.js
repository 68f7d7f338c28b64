// ../../work/wt/h-studio/src/store/subscribers.ts
import { sql } from "../vendor/kysely.js";
import { assertWritable } from "./write-probe.js";
import {
  SUBSCRIBER,
  subscriberUpdate
} from "./subscriber-rows.js";
import { subscriberHistory } from "./subscriber-history.js";
import { insertOrFind, kyselySignUps } from "./subscriber-sign-up.js";
import { kyselySuppressions } from "./suppressions.js";
import { kyselySystemEmailQueue } from "./system-email-queue.js";
var PAGE = 500;
async function countByStatus(db) {
  const rows = await db.selectFrom("subscribers").select(["status", (eb) => eb.fn.countAll().as("n")]).groupBy("status").execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
function kyselySubscriberRows(db) {
  return {
    byEmail: (normalized) => db.selectFrom("subscribers").select(SUBSCRIBER).where("email_normalized", "=", normalized).executeTakeFirst(),
    byPublicId: (publicId) => db.selectFrom("subscribers").select(SUBSCRIBER).where("public_id", "=", publicId).executeTakeFirst(),
    insert: (row) => insertOrFind(db, row),
    async update(id, patch, whenStatus) {
      let q = db.updateTable("subscribers").set(subscriberUpdate(patch)).where("id", "=", id);
      if (whenStatus) q = q.where("status", "in", [...whenStatus]);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async restartCycle(id, patch) {
      const r = await db.updateTable("subscribers").set((eb) => ({ ...subscriberUpdate(patch), cycle: eb("cycle", "+", 1) })).where("id", "=", id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async remove(id) {
      await db.deleteFrom("subscribers").where("id", "=", id).execute();
    }
  };
}
function kyselySubscriberList(db) {
  return {
    async *list(filter = {}) {
      let after = 0;
      for (; ; ) {
        let q = db.selectFrom("subscribers").select(SUBSCRIBER).where("id", ">", after).orderBy("id").limit(PAGE);
        if (filter.status) q = q.where("status", "=", filter.status);
        const rows = await q.execute();
        yield* rows;
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1].id;
      }
    },
    countByStatus: () => countByStatus(db),
    async purgePending(createdBefore) {
      const r = await db.deleteFrom("subscribers").where("status", "=", "pending").where("created_at", "<", createdBefore).executeTakeFirst();
      return Number(r.numDeletedRows);
    }
  };
}
function createSubscriberStore(db) {
  return {
    ...kyselySystemEmailQueue(db),
    async ping() {
      await sql`select 1`.execute(db);
      await assertWritable(db);
    },
    ...kyselySubscriberRows(db),
    ...kyselySubscriberList(db),
    ...kyselySignUps(db),
    ...kyselySuppressions(db),
    history: (id) => subscriberHistory(db, id)
  };
}
export {
  countByStatus,
  createSubscriberStore
};
//# sourceMappingURL=subscribers.js.map
