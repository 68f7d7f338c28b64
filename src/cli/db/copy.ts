import { existsSync } from 'node:fs';
import { databaseFromUrl, describeDatabase, type DatabaseConfig } from '../../config.ts';
import { copyDatabase } from '../../app.ts';
import { CopyError } from '../../errors.ts';
import { UsageError, type LeafCommand } from '../command.ts';

const usage = `newsletter db copy <from-url> <to-url> [--force]

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

const label = (d: DatabaseConfig) => (d.kind === 'sqlite' ? `sqlite:${describeDatabase(d)}` : describeDatabase(d));

const dbCopy: LeafCommand = {
  usage,
  options: { force: { type: 'boolean' } },
  positionals: { min: 2, max: 2, missing: 'the <from-url> and <to-url> of the databases' },
  async run({ positionals, values }, io) {
    const [fromUrl, toUrl] = positionals as [string, string];
    const parse = (url: string, name: string) => {
      try {
        return databaseFromUrl(url, { rootDir: io.cwd, pool: 2, name });
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
    };
    const from = parse(fromUrl, '<from-url>');
    const to = parse(toUrl, '<to-url>');
    // Opening an SQLite file creates it: a mistyped source would copy an empty store.
    if (from.kind === 'sqlite' && from.file !== ':memory:' && !existsSync(from.file)) {
      io.err(`newsletter db copy: the source ${label(from)} does not exist`);
      return 1;
    }
    try {
      io.err(`copying ${label(from)} → ${label(to)}`);
      const tables = await copyDatabase(from, to, { force: values.force === true });
      const width = Math.max(...tables.map((t) => t.name.length));
      for (const t of tables) io.out(`${t.name.padEnd(width)}  ${t.rows}`);
      const rows = tables.reduce((n, t) => n + t.rows, 0);
      io.err(
        `copied ${rows} row${rows === 1 ? '' : 's'} in ${tables.length} tables; every table's row count matches the source`,
      );
      return 0;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      io.err(
        `newsletter db copy: ${e instanceof CopyError ? message : `failed: ${hidePasswords(message, [fromUrl, toUrl])}`}`,
      );
      return 1;
    }
  },
};

/** A driver's message may quote a URL it was given; its password must not reach the terminal. */
function hidePasswords(message: string, urls: readonly string[]): string {
  let out = message;
  for (const url of urls) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) out = out.replaceAll(password, '***');
    } catch {
      // Not a URL with a password (an SQLite path): nothing to hide.
    }
  }
  return out;
}

export default dbCopy;
