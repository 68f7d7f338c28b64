// ../../work/wt/h-studio/src/store/subscriber-history.ts
async function deliveriesOf(db, id) {
  const deliveries = await db.selectFrom("deliveries").select([
    "id",
    "tip_slug as tipSlug",
    "week",
    "cycle",
    "state",
    "attempts",
    "message_id as messageId",
    "created_at as createdAt",
    "sent_at as sentAt"
  ]).where("subscriber_id", "=", id).orderBy("created_at").orderBy("id").execute();
  const attempts = deliveries.length ? await db.selectFrom("delivery_attempts").select(["delivery_id as deliveryId", "at", "outcome", "response"]).where(
    "delivery_id",
    "in",
    deliveries.map((d) => d.id)
  ).orderBy("at").execute() : [];
  return deliveries.map(({ id: deliveryId, ...d }) => ({
    ...d,
    attemptLog: attempts.filter((a) => a.deliveryId === deliveryId).map(({ deliveryId: _, ...a }) => a)
  }));
}
async function subscriberHistory(db, id) {
  const deliveries = await deliveriesOf(db, id);
  const systemEmails = await db.selectFrom("system_emails").select(["kind", "message_id as messageId", "created_at as createdAt", "sent_at as sentAt", "state"]).where("subscriber_id", "=", id).orderBy("created_at").orderBy("id").execute();
  const feedback = await db.selectFrom("feedback").select(["tip_slug as tipSlug", "answer", "comment", "created_at as createdAt", "updated_at as updatedAt"]).where("subscriber_id", "=", id).orderBy("created_at").orderBy("id").execute();
  const bounces = await db.selectFrom("bounce_events").select(["kind", "source", "status", "detail", "received_at as receivedAt"]).where("subscriber_id", "=", id).orderBy("received_at").orderBy("id").execute();
  return { feedback, bounces, deliveries, systemEmails };
}
export {
  subscriberHistory
};
//# sourceMappingURL=subscriber-history.js.map
