// ../../work/wt/h-studio/src/store/write-failure.ts
import { describeDatabase } from "../config.js";
function writeFailureOf(e) {
  const code = e?.code;
  if (typeof code !== "string") return void 0;
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT" || code === "53100")
    return { kind: "disk-full", code };
  if (/^SQLITE_READONLY/.test(code) || code === "EROFS" || code === "25006") return { kind: "read-only", code };
  if (/^SQLITE_IOERR/.test(code)) return { kind: "io", code };
  return void 0;
}
function describeWriteFailure(e, database, { done = "nothing was changed", retry = "run the command again" } = {}) {
  const failure = writeFailureOf(e);
  if (!failure) return void 0;
  const where = `NEWSLETTER_DATABASE_URL: the database ${describeDatabase(database)}`;
  const disk = database.kind === "sqlite" ? "the disk that holds it" : "the database server's disk";
  switch (failure.kind) {
    case "disk-full":
      return `${where} cannot be written: ${disk} is full (${failure.code}); ${done}; free some space there and ${retry}`;
    case "read-only":
      return `${where} is read-only (${failure.code}); ${done}; make it writable (a read-only mount or a standby server) and ${retry}`;
    case "io":
      return `${where} cannot be written: ${disk} refused the write (${failure.code}; usually a full disk); ${done}; free some space there (or check the disk) and ${retry}`;
  }
}
export {
  describeWriteFailure,
  writeFailureOf
};
//# sourceMappingURL=write-failure.js.map
