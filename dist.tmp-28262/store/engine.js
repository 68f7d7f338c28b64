// ../../work/wt/h-studio/src/store/engine.ts
import { PostgresAdapter } from "../vendor/kysely.js";
function engineOf(db) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}
export {
  engineOf
};
//# sourceMappingURL=engine.js.map
