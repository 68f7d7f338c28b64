// ../../work/wt/h-studio/src/cli/db/copy.ts
import { existsSync } from "node:fs";
import { databaseFromUrl, describeDatabase } from "../../config.js";
import { copyDatabase } from "../../app.js";
import { CopyError } from "../../errors.js";
import { UsageError } from "../command.js";
var usage = `newsletter db copy <from-url> <to-url> [--force]

Copies every table of the subscriber store from one database to another: SQLite to PostgreSQL
when a list outgrows the embedded default, PostgreSQL to SQLite, or within one engine. Ids are
kept, so who had which tip stays recorded and a pass on the copy sends nothing twice.

URLs take the forms of NEWSLETTER_DATABASE_URL: sqlite:PATH (relative to this folder) or
postgres://user:pass@host:5432/db (also postgresql://, ?sslmode=require).

The target is migrated to the latest version first, then filled in one transaction; the row
counts of every table are compared before it commits, so a failed copy leaves it as it was.
Stop the processes writing to the source first: rows written during the copy are not in it.

  --force   replace the target's rows; without it a target that holds any row is refused

Exit codes: 0 copied and verified, 1 refused or failed (the message says why), 2 bad usage.`;
var label = (d) => d.kind === "sqlite" ? `sqlite:${describeDatabase(d)}` : describeDatabase(d);
var dbCopy = {
  usage,
  options: { force: { type: "boolean" } },
  positionals: { min: 2, max: 2, missing: "the <from-url> and <to-url> of the databases" },
  async run({ positionals, values }, io) {
    const [fromUrl, toUrl] = positionals;
    const parse = (url, name) => {
      try {
        return databaseFromUrl(url, { rootDir: io.cwd, pool: 2, name });
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
    };
    const from = parse(fromUrl, "<from-url>");
    const to = parse(toUrl, "<to-url>");
    if (from.kind === "sqlite" && from.file !== ":memory:" && !existsSync(from.file)) {
      io.err(`newsletter db copy: the source ${label(from)} does not exist`);
      return 1;
    }
    try {
      io.err(`copying ${label(from)} \u2192 ${label(to)}`);
      const tables = await copyDatabase(from, to, { force: values.force === true });
      const width = Math.max(...tables.map((t) => t.name.length));
      for (const t of tables) io.out(`${t.name.padEnd(width)}  ${t.rows}`);
      const rows = tables.reduce((n, t) => n + t.rows, 0);
      io.err(
        `copied ${rows} row${rows === 1 ? "" : "s"} in ${tables.length} tables; every table's row count matches the source`
      );
      return 0;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      io.err(
        `newsletter db copy: ${e instanceof CopyError ? message : `failed: ${hidePasswords(message, [fromUrl, toUrl])}`}`
      );
      return 1;
    }
  }
};
function hidePasswords(message, urls) {
  let out = message;
  for (const url of urls) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) out = out.replaceAll(password, "***");
    } catch {
    }
  }
  return out;
}
var copy_default = dbCopy;
export {
  copy_default as default
};
//# sourceMappingURL=copy.js.map
