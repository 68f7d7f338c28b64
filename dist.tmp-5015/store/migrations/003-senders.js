// ../../work/wt/h-studio/src/store/migrations/003-senders.ts
async function up(db) {
  await db.schema.createTable("senders").addColumn("id", "text", (c) => c.primaryKey()).addColumn("host", "text", (c) => c.notNull()).addColumn("pid", "integer", (c) => c.notNull()).addColumn("started_at", "bigint", (c) => c.notNull()).addColumn("seen_at", "bigint", (c) => c.notNull()).execute();
  await db.schema.alterTable("system_emails").addColumn("claimed_at", "bigint").execute();
}
async function down(db) {
  await db.schema.alterTable("system_emails").dropColumn("claimed_at").execute();
  await db.schema.dropTable("senders").execute();
}
export {
  down,
  up
};
//# sourceMappingURL=003-senders.js.map
