// ../../work/wt/h-studio/src/store/migrations/portable.ts
import { engineOf } from "../engine.js";
function portable(db) {
  const engine = engineOf(db);
  return {
    engine,
    /**
     * The row id: SQLite's `integer primary key autoincrement` (ids never reused, as before);
     * on PostgreSQL an identity column. `by default`, not `always`, so a copy between stores can
     * keep the ids that rows reference each other by (then it must move the sequence past them).
     */
    id: (table) => table.addColumn(
      "id",
      "integer",
      (c) => engine === "postgres" ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()
    )
  };
}
export {
  portable
};
//# sourceMappingURL=portable.js.map
