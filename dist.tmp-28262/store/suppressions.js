// ../../work/wt/h-studio/src/store/suppressions.ts
import { randomUUID } from "node:crypto";
import { subscriberUpdate } from "./subscriber-rows.js";
function kyselySuppressions(db) {
  return {
    suppression: (emailHash) => db.selectFrom("suppressions").select(["email_hash as emailHash", "reason", "created_at as createdAt"]).where("email_hash", "=", emailHash).executeTakeFirst(),
    async suppress(emailHash, reason, now) {
      await db.insertInto("suppressions").values({ email_hash: emailHash, reason, created_at: now }).onConflict(
        (oc) => reason === "erased" ? oc.column("email_hash").doUpdateSet({ reason: "erased", created_at: now }).where("suppressions.reason", "=", "unsubscribed") : oc.column("email_hash").doNothing()
      ).execute();
    },
    async unsuppress(emailHash) {
      await db.deleteFrom("suppressions").where("email_hash", "=", emailHash).execute();
    },
    liftBounce(id, emailHash, patch, reason, now) {
      return db.transaction().execute(async (trx) => {
        const r = await trx.updateTable("subscribers").set(subscriberUpdate(patch)).where("id", "=", id).where("status", "=", "bounced").executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx.deleteFrom("suppressions").where("email_hash", "=", emailHash).where("reason", "=", "bounced").execute();
        await trx.insertInto("bounce_events").values({
          subscriber_id: id,
          delivery_id: null,
          kind: "lifted",
          source: "operator",
          status: null,
          detail: reason.slice(0, 1e3),
          event_key: `lifted:${id}:${now}:${randomUUID()}`,
          received_at: now
        }).execute();
        return true;
      });
    }
  };
}
export {
  kyselySuppressions
};
//# sourceMappingURL=suppressions.js.map
