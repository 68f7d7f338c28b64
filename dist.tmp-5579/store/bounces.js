// ../../work/wt/h-studio/src/store/bounces.ts
import { sql } from "../vendor/kysely.js";
function kyselyBounceStore(db) {
  return {
    ...bounceLookups(db),
    ...bounceEvents(db),
    suppressReader: (subscriberId, emailHash, status, at) => suppressReader(db, subscriberId, emailHash, status, at),
    ...webhookTokens(db)
  };
}
function bounceLookups(db) {
  const deliveries = () => db.selectFrom("deliveries").select(["id", "subscriber_id as subscriberId", "tip_slug as slug", "message_id as messageId"]);
  const systemEmails = () => db.selectFrom("system_emails").select(["id", "subscriber_id as subscriberId", "kind"]);
  const readers = () => db.selectFrom("subscribers").select(["id", "email_normalized as emailNormalized", "status", "confirmed_at as confirmedAt"]);
  return {
    delivery: (id) => deliveries().where("id", "=", id).executeTakeFirst(),
    deliveryByMessageId: (messageId) => deliveries().where("message_id", "=", messageId).executeTakeFirst(),
    lastDelivery: (subscriberId, at) => deliveries().where("subscriber_id", "=", subscriberId).where("sent_at", "<=", at).orderBy("sent_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst(),
    systemEmail: (id) => systemEmails().where("id", "=", id).executeTakeFirst(),
    systemEmailByMessageId: (messageId) => systemEmails().where("message_id", "=", messageId).executeTakeFirst(),
    reader: (id) => readers().where("id", "=", id).executeTakeFirst(),
    readerByEmail: (normalized) => readers().where("email_normalized", "=", normalized).executeTakeFirst()
  };
}
function bounceEvents(db) {
  return {
    async record(e) {
      const row = await db.insertInto("bounce_events").values({
        subscriber_id: e.subscriberId,
        delivery_id: e.deliveryId,
        kind: e.kind,
        source: e.source,
        status: e.status?.slice(0, 100) ?? null,
        detail: e.detail?.slice(0, 1e3) ?? null,
        event_key: e.eventKey,
        received_at: e.at
      }).onConflict((oc) => oc.column("event_key").doNothing()).returning("id").executeTakeFirst();
      return row !== void 0;
    },
    async softBounces(subscriberId, since) {
      const lifted = await db.selectFrom("bounce_events").select((eb) => eb.fn.max("received_at").as("at")).where("subscriber_id", "=", subscriberId).where("kind", "=", "lifted").executeTakeFirst();
      const from = Math.max(since, Number(lifted?.at ?? 0));
      const row = await db.selectFrom("bounce_events").select(sql`count(distinct coalesce(delivery_id, -id))`.as("n")).where("subscriber_id", "=", subscriberId).where("kind", "=", "soft").where("received_at", ">", from).executeTakeFirst();
      return Number(row?.n ?? 0);
    }
  };
}
function suppressReader(db, subscriberId, emailHash, status, at) {
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable("subscribers").set({ status, status_changed_at: at, next_send_at: null }).where("id", "=", subscriberId).where("status", "in", ["pending", "active", "paused"]).executeTakeFirst();
    await trx.insertInto("suppressions").values({ email_hash: emailHash, reason: status, created_at: at }).onConflict((oc) => oc.doNothing()).execute();
    return Number(r.numUpdatedRows) > 0;
  });
}
function webhookTokens(db) {
  return {
    async firstSight(token, at, forgetBefore) {
      await db.deleteFrom("webhook_tokens").where("seen_at", "<", forgetBefore).execute();
      const row = await db.insertInto("webhook_tokens").values({ token, seen_at: at }).onConflict((oc) => oc.column("token").doNothing()).returning("token").executeTakeFirst();
      return row !== void 0;
    },
    async forget(token) {
      await db.deleteFrom("webhook_tokens").where("token", "=", token).execute();
    }
  };
}
export {
  kyselyBounceStore
};
//# sourceMappingURL=bounces.js.map
