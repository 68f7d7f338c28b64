// ../../work/wt/h-studio/src/store/sqlite-faults.ts
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statfsSync,
  statSync
} from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { MIN_FREE_BYTES } from "./write-probe.js";
var SETTING = "NEWSLETTER_DATABASE_URL";
var SQLITE_HEADER = "SQLite format 3\0";
function problemOf(code) {
  switch (code) {
    case "EROFS":
    case "SQLITE_READONLY":
    case "SQLITE_READONLY_DIRECTORY":
    case "SQLITE_READONLY_ROLLBACK":
    case "SQLITE_READONLY_CANTINIT":
    case "SQLITE_READONLY_CANTLOCK":
      return "is on a read-only file system (or its folder is not writable)";
    case "EACCES":
    case "EPERM":
    case "SQLITE_PERM":
    case "SQLITE_AUTH":
      return "cannot be opened for writing (permission denied)";
    case "ENOSPC":
    case "EDQUOT":
    case "SQLITE_FULL":
      return "cannot be written: the disk is full";
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return "is not an SQLite database";
    case "EISDIR":
      return "is a folder, not a database file";
    case "ENOTDIR":
      return "has a file where one of its folders should be";
    default:
      return void 0;
  }
}
var todo = {
  "is on a read-only file system (or its folder is not writable)": "put the database on a writable disk (or remount it read-write) and try again",
  "cannot be opened for writing (permission denied)": "give the user running the newsletter write access to the file and its folder",
  "cannot be written: the disk is full": "free some space on that disk and try again; nothing was changed",
  "is not an SQLite database": "point the setting at a newsletter database, or at a new file, e.g. sqlite:subscribers/newsletter.db",
  "is a folder, not a database file": "name a file inside it, e.g. sqlite:subscribers/newsletter.db",
  "has a file where one of its folders should be": "fix the path, e.g. sqlite:subscribers/newsletter.db"
};
function storageFault(e, file, what = "the database") {
  if (e instanceof ConfigError) return e;
  const code = e?.code;
  let problem = problemOf(typeof code === "string" ? code : void 0);
  if (!problem && typeof code === "string" && code.startsWith("SQLITE_IOERR") && diskIsFull(file))
    problem = "cannot be written: the disk is full";
  if (!problem) return void 0;
  return new ConfigError(`${SETTING}: ${what} ${file} ${problem}; ${todo[problem]}`);
}
function preflightSqlite(file) {
  const dir = path.dirname(file);
  const stat = statOrNothing(file);
  if (stat) checkExistingFile(file, stat);
  else makeFolderFor(dir);
  try {
    accessSync(dir, constants.W_OK);
    if (stat) accessSync(file, constants.W_OK);
  } catch (e) {
    throw storageFault(e, stat ? file : dir, stat ? "the database" : "the folder for the database") ?? e;
  }
}
function statOrNothing(file) {
  try {
    return statSync(file);
  } catch (e) {
    const code = e.code;
    if (code !== "ENOENT") throw storageFault(e, file) ?? e;
    return void 0;
  }
}
function checkExistingFile(file, stat) {
  if (stat.isDirectory()) throw storageFault({ code: "EISDIR" }, file);
  if (!stat.isFile())
    throw new ConfigError(
      `${SETTING}: the database ${file} is not a regular file; ${todo["is a folder, not a database file"]}`
    );
  if (stat.size === 0) return;
  const head = Buffer.alloc(16);
  let fd;
  try {
    fd = openSync(file, "r");
    readSync(fd, head, 0, 16, 0);
  } catch (e) {
    throw storageFault(e, file) ?? e;
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
  if (head.toString("latin1") !== SQLITE_HEADER) throw storageFault({ code: "SQLITE_NOTADB" }, file);
}
function makeFolderFor(dir) {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw storageFault(whyNotWritable(dir) ?? e, dir, "the folder for the database") ?? e;
  }
}
function whyNotWritable(dir) {
  let at = dir;
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return void 0;
  } catch (e) {
    return e;
  }
}
function makePrivate(file, stage) {
  if (stage === "before-open") {
    if (!existsSync(file)) {
      try {
        closeSync(openSync(file, "wx", 384));
      } catch (e) {
        if (e.code !== "EEXIST") throw storageFault(e, file) ?? e;
      }
    }
    return;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 511) !== 384) chmodSync(f, 384);
    } catch {
    }
  }
}
function diskIsFull(file) {
  try {
    const fs = statfsSync(path.dirname(file));
    return fs.bavail * fs.bsize < MIN_FREE_BYTES;
  } catch {
    return false;
  }
}
export {
  makePrivate,
  preflightSqlite,
  storageFault
};
//# sourceMappingURL=sqlite-faults.js.map
