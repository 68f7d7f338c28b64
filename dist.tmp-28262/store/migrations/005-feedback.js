// ../../work/wt/h-studio/src/store/migrations/005-feedback.ts
import { portable } from "./portable.js";
async function up(db) {
  const { id } = portable(db);
  await id(db.schema.createTable("feedback")).addColumn("subscriber_id", "integer", (c) => c.references("subscribers.id").onDelete("cascade")).addColumn("tip_slug", "text", (c) => c.notNull()).addColumn("answer", "text", (c) => c.notNull()).addColumn("comment", "text").addColumn("created_at", "bigint", (c) => c.notNull()).addColumn("updated_at", "bigint", (c) => c.notNull()).addUniqueConstraint("feedback_once_per_reader", ["subscriber_id", "tip_slug"]).execute();
  await db.schema.createIndex("feedback_tip").on("feedback").columns(["tip_slug", "answer"]).execute();
}
async function down(db) {
  await db.schema.dropTable("feedback").execute();
}
export {
  down,
  up
};
//# sourceMappingURL=005-feedback.js.map
