// ../../work/wt/h-studio/src/store/write-probe.ts
import { statfs } from "node:fs/promises";
import path from "node:path";
import { sql } from "../vendor/kysely.js";
import { engineOf } from "./engine.js";
import { writeFailureOf } from "./write-failure.js";
var MIN_FREE_BYTES = 1024 * 1024;
var StoreUnwritable = class extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
    this.name = "StoreUnwritable";
  }
  code;
};
var files = /* @__PURE__ */ new WeakMap();
async function assertWritable(db) {
  if (engineOf(db) === "postgres") {
    const r = await sql`show transaction_read_only`.execute(db);
    if (r.rows[0]?.transaction_read_only === "on") throw new StoreUnwritable("the database is read-only", "read-only");
    return;
  }
  let file = files.get(db);
  if (file === void 0) {
    const list = await sql`pragma database_list`.execute(db);
    file = list.rows.find((r) => r.name === "main")?.file ?? "";
    files.set(db, file);
  }
  if (!file) return;
  const fs = await statfs(path.dirname(file));
  if (fs.bavail * fs.bsize < MIN_FREE_BYTES)
    throw new StoreUnwritable("the disk that holds the database is full", "disk-full");
}
function isUnwritable(e) {
  return e instanceof StoreUnwritable || writeFailureOf(e) !== void 0;
}
export {
  MIN_FREE_BYTES,
  StoreUnwritable,
  assertWritable,
  isUnwritable
};
//# sourceMappingURL=write-probe.js.map
