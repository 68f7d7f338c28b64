// ../../work/wt/h-studio/src/store/migrations/001-initial.ts
import { sql } from "../../vendor/kysely.js";
import { portable } from "./portable.js";
async function up(db) {
  const { id } = portable(db);
  await id(db.schema.createTable("subscribers")).addColumn("public_id", "text", (c) => c.notNull().unique()).addColumn("email", "text", (c) => c.notNull()).addColumn("email_normalized", "text", (c) => c.notNull().unique()).addColumn("name", "text").addColumn("status", "text", (c) => c.notNull()).addColumn("timezone", "text").addColumn("send_time", "text").addColumn("consent_at", "bigint").addColumn("consent_ip", "text").addColumn("consent_user_agent", "text").addColumn("consent_source", "text").addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("confirmed_at", "bigint").addColumn("status_changed_at", "bigint", (c) => c.notNull()).addColumn("next_send_at", "bigint").addColumn("last_sent_at", "bigint").addColumn("cycle", "integer", (c) => c.notNull().defaultTo(0)).addColumn("confirm_sent_at", "bigint").execute();
  await db.schema.createIndex("subscribers_due").on("subscribers").columns(["status", "next_send_at"]).execute();
  await db.schema.createIndex("subscribers_pending_created").on("subscribers").columns(["status", "created_at"]).execute();
  await db.schema.createTable("suppressions").addColumn("email_hash", "text", (c) => c.primaryKey()).addColumn("reason", "text", (c) => c.notNull()).addColumn("created_at", "bigint", (c) => c.notNull()).execute();
  await id(db.schema.createTable("deliveries")).addColumn("subscriber_id", "integer", (c) => c.notNull().references("subscribers.id").onDelete("cascade")).addColumn("tip_slug", "text", (c) => c.notNull()).addColumn("cycle", "integer", (c) => c.notNull()).addColumn("week", "integer", (c) => c.notNull()).addColumn("state", "text", (c) => c.notNull()).addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).addColumn("message_id", "text", (c) => c.notNull()).addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("claimed_at", "bigint").addColumn("sent_at", "bigint").addColumn("next_attempt_at", "bigint").addColumn("last_response", "text").addUniqueConstraint("deliveries_once", ["subscriber_id", "tip_slug", "cycle"]).execute();
  await db.schema.createIndex("deliveries_retry").on("deliveries").columns(["state", "next_attempt_at"]).execute();
  await id(db.schema.createTable("delivery_attempts")).addColumn("delivery_id", "integer", (c) => c.notNull().references("deliveries.id").onDelete("cascade")).addColumn("at", "bigint", (c) => c.notNull()).addColumn("outcome", "text", (c) => c.notNull()).addColumn("response", "text").execute();
  await db.schema.createIndex("delivery_attempts_delivery").on("delivery_attempts").column("delivery_id").execute();
  await id(db.schema.createTable("system_emails")).addColumn("subscriber_id", "integer", (c) => c.notNull().references("subscribers.id").onDelete("cascade")).addColumn("kind", "text", (c) => c.notNull()).addColumn("message_id", "text", (c) => c.notNull()).addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("sent_at", "bigint").execute();
  await sql`CREATE UNIQUE INDEX system_emails_one_welcome ON system_emails (subscriber_id) WHERE kind = 'welcome'`.execute(
    db
  );
}
async function down(db) {
  for (const t of ["system_emails", "delivery_attempts", "deliveries", "suppressions", "subscribers"]) {
    await db.schema.dropTable(t).execute();
  }
}
export {
  down,
  up
};
//# sourceMappingURL=001-initial.js.map
