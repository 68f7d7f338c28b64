// ../../work/wt/h-studio/src/store/migrations/006-relay-state.ts
async function up(db) {
  await db.schema.createTable("relay_state").addColumn("kind", "text", (c) => c.notNull()).addColumn("cause", "text", (c) => c.notNull()).addColumn("count", "bigint", (c) => c.notNull()).addColumn("last_at", "bigint", (c) => c.notNull()).addColumn("last_detail", "text", (c) => c.notNull()).addPrimaryKeyConstraint("relay_state_key", ["kind", "cause"]).execute();
}
async function down(db) {
  await db.schema.dropTable("relay_state").execute();
}
export {
  down,
  up
};
//# sourceMappingURL=006-relay-state.js.map
