// ../../work/wt/h-studio/src/cli/db/backup.ts
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { secretFile } from "../../config.js";
import { UsageError } from "../command.js";
import { withApp } from "../with-app.js";
var usage = `newsletter db backup FILE

Writes a consistent copy of the SQLite database to FILE while the service keeps running (SQLite's
online backup, through better-sqlite3: readers and the dispatcher go on writing meanwhile). FILE
must not exist yet; it is written owner-only (mode 600).

The link-signing key is not in the database: keep a copy of its file too (.secret next to the
database), or links already sent stop working after a restore. On PostgreSQL use pg_dump
(see docs/operations.md, "Data, faults and backups").

To restore: stop the service, put the copy in place of the database file (and delete any -wal
and -shm files beside it), put the key file back next to it, start again.`;
var backup = {
  usage,
  positionals: { min: 1, max: 1, missing: "the FILE to write the copy to" },
  run: ({ positionals }, io) => withApp(io, async (app) => {
    const { database } = app.config;
    if (database.kind !== "sqlite" || database.file === ":memory:") {
      throw new UsageError(
        'db backup copies an SQLite database; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=newsletter.dump "$NEWSLETTER_DATABASE_URL"'
      );
    }
    const dest = path.resolve(io.cwd, positionals[0]);
    if (await stat(dest).then(
      () => true,
      () => false
    )) {
      io.err(`${positionals[0]}: already exists; name a new file (a backup never overwrites one)`);
      return 1;
    }
    await mkdir(path.dirname(dest), { recursive: true, mode: 448 });
    const pages = await app.backupSqlite(dest);
    await chmod(dest, 384);
    const size = (await stat(dest)).size;
    io.out(`backed up ${database.file} to ${dest} (${pages} pages, ${(size / 1024 / 1024).toFixed(1)} MB)`);
    io.err(
      `keep a copy of the link-signing key too: ${app.config.secretFromEnv ? "NEWSLETTER_SECRET" : secretFile(app.config)} (it is not in the database)`
    );
    return 0;
  })
};
var backup_default = backup;
export {
  backup_default as default
};
//# sourceMappingURL=backup.js.map
