// ../../work/wt/h-studio/src/store/migrations/002-rate-limits.ts
import { sql } from "../../vendor/kysely.js";
import { engineOf } from "../engine.js";
async function up(db) {
  const table = db.schema.createTable("rate_limits");
  await (engineOf(db) === "postgres" ? table.modifyFront(sql`unlogged`) : table).addColumn("key", "text", (c) => c.primaryKey()).addColumn("window_start", "bigint", (c) => c.notNull()).addColumn("count", "integer", (c) => c.notNull()).execute();
  await db.schema.createIndex("rate_limits_window_start").on("rate_limits").column("window_start").execute();
}
async function down(db) {
  await db.schema.dropTable("rate_limits").execute();
}
export {
  down,
  up
};
//# sourceMappingURL=002-rate-limits.js.map
