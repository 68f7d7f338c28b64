// ../../work/wt/h-studio/src/store/system-email-queue.ts
import { sql } from "../vendor/kysely.js";
import { engineOf } from "./engine.js";
import { SUBSCRIBER } from "./subscriber-rows.js";
async function queueIn(trx, subscriberId, email) {
  const row = await trx.insertInto("system_emails").values({
    subscriber_id: subscriberId,
    kind: email.kind,
    message_id: email.messageId,
    created_at: email.at,
    sent_at: null,
    claimed_at: null,
    state: "queued",
    attempts: 0,
    next_attempt_at: email.at,
    expires_at: email.expiresAt,
    last_error: null
  }).onConflict((oc) => oc.doNothing()).returning("id").executeTakeFirst();
  return row?.id;
}
var CLAIMED = [
  "id",
  "subscriber_id as subscriberId",
  "kind",
  "message_id as messageId",
  "created_at as createdAt",
  "expires_at as expiresAt",
  "attempts",
  "claimed_at as claimedAt"
];
var free = (staleBefore) => (eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]);
function systemEmailClaims(db) {
  const postgres = engineOf(db) === "postgres";
  async function withReader(row, now) {
    if (!row) return void 0;
    const subscriber = await db.selectFrom("subscribers").select(SUBSCRIBER).where("id", "=", row.subscriberId).executeTakeFirst();
    if (!subscriber) return void 0;
    const { subscriberId: _, ...email } = row;
    return { ...email, claimedAt: row.claimedAt ?? now, subscriber };
  }
  return {
    /** Takes one queued email by id (the process that queued it sends it at once); undefined when another holds it or it is settled. */
    async claimSystemEmail(id, now, staleBefore) {
      const row = await db.updateTable("system_emails").set({ claimed_at: now }).where("id", "=", id).where("state", "=", "queued").where(free(staleBefore)).returning(CLAIMED).executeTakeFirst();
      return withReader(row, now);
    },
    /** Takes the next queued email due by `now` whose lease (if any) began before `staleBefore`. */
    async claimNextSystemEmail(now, staleBefore) {
      const next = db.selectFrom("system_emails").select("id").where("state", "=", "queued").where("next_attempt_at", "<=", now).where(free(staleBefore)).orderBy("next_attempt_at").orderBy("id").limit(1);
      const row = await db.updateTable("system_emails").set({ claimed_at: now }).where("id", "=", postgres ? next.forUpdate().skipLocked() : next).where("state", "=", "queued").where(free(staleBefore)).returning(CLAIMED).executeTakeFirst();
      return withReader(row, now);
    }
  };
}
function systemEmailSettles(db) {
  return {
    async systemEmailSent(id, now) {
      await db.updateTable("system_emails").set({ state: "sent", sent_at: now, next_attempt_at: null, claimed_at: null, last_error: null }).where("id", "=", id).execute();
    },
    async systemEmailRetry(id, claimedAt, retry) {
      await db.updateTable("system_emails").set((eb) => ({
        claimed_at: null,
        next_attempt_at: retry.nextAttemptAt,
        last_error: retry.error?.slice(0, 500) ?? null,
        attempts: retry.counted ? eb("attempts", "+", 1) : eb.ref("attempts")
      })).where("id", "=", id).where("state", "=", "queued").where("claimed_at", "=", claimedAt).execute();
    },
    async systemEmailSettled(id, claimedAt, state, error) {
      await db.updateTable("system_emails").set((eb) => ({
        state,
        next_attempt_at: null,
        claimed_at: null,
        last_error: error?.slice(0, 500) ?? null,
        attempts: state === "failed" ? eb("attempts", "+", 1) : eb.ref("attempts")
      })).where("id", "=", id).where("state", "=", "queued").where("claimed_at", "=", claimedAt).execute();
    },
    async expireSystemEmails(now) {
      const rows = await db.updateTable("system_emails").set({ state: "expired", next_attempt_at: null, claimed_at: null }).where("state", "=", "queued").where("expires_at", "<=", now).returning("kind").execute();
      const byKind = {};
      for (const r of rows) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      return byKind;
    }
  };
}
function kyselySystemEmailQueue(db) {
  return {
    ...systemEmailClaims(db),
    ...systemEmailSettles(db),
    async waitingConfirmations(cap) {
      const row = await db.selectFrom(
        (eb) => eb.selectFrom("system_emails").select(sql`1`.as("one")).where("state", "=", "queued").where("kind", "=", "confirm").limit(cap + 1).as("waiting")
      ).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    }
  };
}
export {
  kyselySystemEmailQueue,
  queueIn
};
//# sourceMappingURL=system-email-queue.js.map
