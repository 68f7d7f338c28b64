// ../../work/wt/h-studio/src/store/subscriber-sign-up.ts
import {
  SUBSCRIBER,
  subscriberRow,
  subscriberUpdate
} from "./subscriber-rows.js";
import { queueIn } from "./system-email-queue.js";
async function insertOrFind(db, row) {
  const inserted = await db.insertInto("subscribers").values(subscriberRow(row)).onConflict((oc) => oc.column("email_normalized").doNothing()).returning(SUBSCRIBER).executeTakeFirst();
  if (inserted) return { subscriber: inserted, created: true };
  const existing = await db.selectFrom("subscribers").select(SUBSCRIBER).where("email_normalized", "=", row.emailNormalized).executeTakeFirstOrThrow();
  return { subscriber: existing, created: false };
}
async function queueConfirmation(trx, subscriber, request) {
  const recent = await trx.selectFrom("system_emails").select((eb) => eb.fn.countAll().as("n")).where("subscriber_id", "=", subscriber.id).where("kind", "=", "confirm").where("created_at", ">", request.since).executeTakeFirstOrThrow();
  if (Number(recent.n) >= request.most) return { refused: "daily-limit" };
  const claimed = await trx.updateTable("subscribers").set({ confirm_sent_at: request.email.at }).where("id", "=", subscriber.id).where((eb) => eb.or([eb("confirm_sent_at", "is", null), eb("confirm_sent_at", "<", request.lastAllowedBefore)])).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { refused: "recent" };
  const queued = await queueIn(trx, subscriber.id, request.email);
  if (queued === void 0) throw new Error("the confirmation could not be queued");
  return { subscriber: { ...subscriber, confirmSentAt: request.email.at }, queued };
}
function kyselySignUps(db) {
  return {
    /** See SubscriberStore.signUp in subscription/subscriber-store.ts. */
    signUp(row, decide) {
      return db.transaction().execute(async (trx) => {
        const { subscriber, created } = await insertOrFind(trx, row);
        const request = decide(subscriber, created);
        if (!request) return { subscriber, created };
        return { subscriber, created, ...await queueConfirmation(trx, subscriber, request) };
      });
    },
    updateAndQueue(id, patch, whenStatus, email) {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable("subscribers").set(subscriberUpdate(patch)).where("id", "=", id).where("status", "in", [...whenStatus]).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return { changed: false };
        const queued = await queueIn(trx, id, email);
        return queued === void 0 ? { changed: true } : { changed: true, queued };
      });
    }
  };
}
export {
  insertOrFind,
  kyselySignUps
};
//# sourceMappingURL=subscriber-sign-up.js.map
