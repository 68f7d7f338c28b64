// ../../work/wt/h-studio/src/store/migrations/007-system-email-queue.ts
import { sql } from "../../vendor/kysely.js";
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
var DAY = 24 * HOUR;
async function up(db) {
  await db.schema.alterTable("system_emails").addColumn("state", "text", (c) => c.notNull().defaultTo("sent")).execute();
  await db.schema.alterTable("system_emails").addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("system_emails").addColumn("next_attempt_at", "bigint").execute();
  await db.schema.alterTable("system_emails").addColumn("expires_at", "bigint").execute();
  await db.schema.alterTable("system_emails").addColumn("last_error", "text").execute();
  await db.updateTable("system_emails").set({
    state: "queued",
    next_attempt_at: sql`created_at + ${sql.lit(5 * MINUTE)}`,
    expires_at: sql`created_at + case when kind = 'confirm' then ${sql.lit(7 * DAY)} else ${sql.lit(72 * HOUR)} end`
  }).where("sent_at", "is", null).execute();
  await db.schema.createIndex("system_emails_queue").on("system_emails").columns(["state", "next_attempt_at"]).execute();
  await db.schema.createIndex("system_emails_subscriber").on("system_emails").columns(["subscriber_id", "kind", "created_at"]).execute();
}
async function down(db) {
  await db.schema.dropIndex("system_emails_subscriber").execute();
  await db.schema.dropIndex("system_emails_queue").execute();
  for (const column of ["last_error", "expires_at", "next_attempt_at", "attempts", "state"]) {
    await db.schema.alterTable("system_emails").dropColumn(column).execute();
  }
}
export {
  down,
  up
};
//# sourceMappingURL=007-system-email-queue.js.map
