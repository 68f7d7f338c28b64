// ../../work/wt/h-studio/src/store/backup.ts
import SQLite from "better-sqlite3";
import { storageFault } from "./sqlite-faults.js";
async function backupSqlite(file, dest) {
  const source = new SQLite(file, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 10000");
    const r = await source.backup(dest);
    return r.totalPages;
  } catch (e) {
    throw storageFault(e, dest, "the backup") ?? e;
  } finally {
    source.close();
  }
}
export {
  backupSqlite
};
//# sourceMappingURL=backup.js.map
