import { sql, type Kysely, type Transaction } from 'kysely';
import { dataTables, fillOrder, storeIdentity, type TableInfo } from './catalog.ts';
import { migrate } from './database.ts';
import { engineOf, type Engine } from './engine.ts';
import { CopyError } from '../errors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Trx = Transaction<any>;
type Row = Record<string, unknown>;

export { CopyError };

export interface CopyOptions {
  /** Empty a target that holds rows, instead of refusing. */
  force?: boolean;
  /** Rows per read and per insert (fewer when a table is wide: bound parameters are limited). */
  batchSize?: number;
}

export interface CopiedTable {
  name: string;
  rows: number;
}

// SQLite allows 32,766 bound parameters a statement, PostgreSQL 65,535: stay well under both.
const MAX_PARAMETERS = 30_000;

/**
 * Copies every data table of `source` into `target`, ids and all, so that rows still point at
 * each other and the delivery ledger still says who had which tip. The target is migrated to the
 * latest version first. Everything written to the target happens in one transaction (emptying it
 * under `force` too), and the row counts are compared before it commits: a failed or short copy
 * leaves the target as it was. The source is read from one snapshot, so a site still writing to it
 * cannot make the copy disagree with itself.
 */
export async function copyStore(source: Db, target: Db, options: CopyOptions = {}): Promise<CopiedTable[]> {
  if ((await storeIdentity(source)) === (await storeIdentity(target))) {
    throw new CopyError('the source and the target are the same database; nothing to copy');
  }
  await migrate(target);
  const tables = fillOrder(await dataTables(target));
  await sameTables(source, tables);
  return snapshot(source, (from) =>
    target.transaction().execute(async (to) => {
      await makeRoom(to, tables, options.force ?? false);
      const copied: CopiedTable[] = [];
      for (const table of tables)
        copied.push({ name: table.name, rows: await copyTable(from, to, table, options.batchSize ?? 1000) });
      if (engineOf(to) === 'postgres') await moveSequences(to);
      await verifyCounts(from, to, tables);
      return copied;
    }),
  );
}

/** Refuses a source whose tables or columns differ from the target's: a copy must not drop or invent data. */
async function sameTables(source: Db, tables: readonly TableInfo[]): Promise<void> {
  const have = new Map((await dataTables(source)).map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const t of tables) {
    const s = have.get(t.name);
    if (!s) problems.push(`it has no table ${t.name}`);
    else {
      const missing = t.columns.filter((c) => !s.columns.includes(c));
      if (missing.length) problems.push(`its table ${t.name} has no column ${missing.join(', ')}`);
      const extra = s.columns.filter((c) => !t.columns.includes(c));
      if (extra.length)
        problems.push(`its table ${t.name} has columns this version does not know: ${extra.join(', ')}`);
    }
    have.delete(t.name);
  }
  for (const name of have.keys()) problems.push(`it has a table this version does not know: ${name}`);
  if (problems.length) {
    throw new CopyError(
      `the source is not at this version's schema (${problems.join('; ')}). Bring it up to date first ` +
        '(NEWSLETTER_DATABASE_URL=<from-url> newsletter migrate), or use the version of newsletter that last migrated it.',
    );
  }
}

/** Runs `read` inside one read-only snapshot of the source. */
async function snapshot<T>(source: Db, read: (from: Trx) => Promise<T>): Promise<T> {
  // SQLite's deferred transaction is a snapshot from its first read (WAL mode); PostgreSQL needs
  // repeatable read for every statement to see the same data.
  const trx =
    engineOf(source) === 'postgres'
      ? source.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
      : source.transaction();
  return trx.execute(read);
}

async function makeRoom(to: Trx, tables: readonly TableInfo[], force: boolean): Promise<void> {
  const filled: string[] = [];
  for (const t of tables) {
    const n = await count(to, t.name);
    if (n > 0) filled.push(`${t.name} (${n})`);
  }
  if (filled.length === 0) return;
  if (!force)
    throw new CopyError(
      `the target is not empty: ${filled.join(', ')}. Pass --force to replace its contents with the source's.`,
    );
  if (engineOf(to) === 'postgres') {
    // One statement for every table: foreign keys between them are satisfied, and it is transactional here.
    await sql`truncate table ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(to);
  } else {
    for (const t of [...tables].reverse()) await to.deleteFrom(t.name).execute();
  }
}

/** Reads the source in pages by primary key (keyset: each page starts where the last ended) and inserts each page. */
async function copyTable(from: Trx, to: Trx, table: TableInfo, batchSize: number): Promise<number> {
  const size = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const engine = engineOf(to);
  const key = table.primaryKey.length ? table.primaryKey : table.columns;
  const order = key.map((c) => sql.ref(c));
  let after: unknown[] | undefined;
  let copied = 0;
  for (;;) {
    let q = from.selectFrom(table.name).select(table.columns).limit(size);
    for (const c of order) q = q.orderBy(c);
    if (after && table.primaryKey.length) q = q.where(sql<boolean>`(${sql.join(order)}) > (${sql.join(after)})`);
    // A table without a primary key has no key to resume from: it is paged by position in the snapshot.
    else if (!table.primaryKey.length && copied) q = q.offset(copied);
    const rows = (await q.execute()) as Row[];
    if (rows.length === 0) break;
    await to
      .insertInto(table.name)
      .values(rows.map((r) => forEngine(r, engine)))
      .execute();
    copied += rows.length;
    const last = rows[rows.length - 1]!;
    after = key.map((c) => last[c]);
    if (rows.length < size) break;
  }
  return copied;
}

/** SQLite has no boolean; a PostgreSQL boolean (a table added later) goes in as 0 or 1. */
function forEngine(row: Row, engine: Engine): Row {
  if (engine !== 'sqlite') return row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'boolean' ? Number(v) : v;
  return out;
}

/**
 * Rows came in with their ids, which leaves an identity column's sequence where it was: the
 * next insert would take id 1 and collide. Each one is moved past the largest id copied.
 * (SQLite's autoincrement follows the largest id written by itself.)
 */
async function moveSequences(to: Trx): Promise<void> {
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = current_schema() and (is_identity = 'YES' or column_default like 'nextval(%')`.execute(to);
  for (const { table, column } of rows) {
    const quoted = `"${table.replaceAll('"', '""')}"`;
    await sql`select setval(pg_get_serial_sequence(${quoted}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(
      to,
    );
  }
}

async function verifyCounts(from: Trx, to: Trx, tables: readonly TableInfo[]): Promise<void> {
  const differ: string[] = [];
  for (const t of tables) {
    const [a, b] = [await count(from, t.name), await count(to, t.name)];
    if (a !== b) differ.push(`${t.name}: ${a} in the source, ${b} in the target`);
  }
  if (differ.length)
    throw new CopyError(`row counts differ after copying (${differ.join('; ')}); nothing was committed to the target.`);
}

async function count(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]!.n);
}
