// ../../work/wt/h-studio/src/store/migrations/004-bounces.ts
import { portable } from "./portable.js";
async function up(db) {
  const { id } = portable(db);
  await id(db.schema.createTable("bounce_events")).addColumn("subscriber_id", "integer", (c) => c.notNull().references("subscribers.id").onDelete("cascade")).addColumn("delivery_id", "integer", (c) => c.references("deliveries.id").onDelete("set null")).addColumn("kind", "text", (c) => c.notNull()).addColumn("source", "text", (c) => c.notNull()).addColumn("status", "text").addColumn("detail", "text").addColumn("event_key", "text", (c) => c.notNull().unique()).addColumn("received_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createIndex("bounce_events_subscriber").on("bounce_events").columns(["subscriber_id", "received_at"]).execute();
  await db.schema.createIndex("bounce_events_delivery").on("bounce_events").column("delivery_id").execute();
  await db.schema.createIndex("bounce_events_received").on("bounce_events").column("received_at").execute();
  await db.schema.createTable("webhook_tokens").addColumn("token", "text", (c) => c.primaryKey()).addColumn("seen_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.createIndex("webhook_tokens_seen_at").on("webhook_tokens").column("seen_at").execute();
}
async function down(db) {
  await db.schema.dropTable("webhook_tokens").execute();
  await db.schema.dropTable("bounce_events").execute();
}
export {
  down,
  up
};
//# sourceMappingURL=004-bounces.js.map
