import { statSync } from 'node:fs';
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, sql, type Kysely } from 'kysely';
import { engineOf } from './engine.ts';

// Kysely<any>: the catalog describes whatever tables a database has, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** One table as the database's own catalog describes it. */
export interface TableInfo {
  name: string;
  /** In the table's column order. */
  columns: string[];
  /** Empty when the table has none. */
  primaryKey: string[];
  /** Tables this one's foreign keys point at (itself excluded). */
  references: string[];
}

/**
 * The data tables, read from the database rather than listed in code, so a table a later
 * migration adds is included without anyone remembering to. Kysely's migration bookkeeping is
 * left out: it describes the database's version, not its data. So are the tables of running
 * processes' state (rate-limit windows, live senders' heartbeats, webhook tokens seen, the relay's last failures, the
 * provider sites' MX answers, suspensions, token buckets, connection leases and warm-up counts): copied, they would describe
 * processes that do not run against the target.
 */
const RUNTIME_STATE = new Set([
  'rate_limits',
  'senders',
  'webhook_tokens',
  'relay_state',
  'mx_cache',
  'site_state',
  'site_buckets',
  'site_leases',
  'warmup_days',
]);

export async function dataTables(db: Db): Promise<TableInfo[]> {
  const tables = await liveTables(db);
  return tables
    .filter(
      (t) =>
        t.name !== DEFAULT_MIGRATION_TABLE && t.name !== DEFAULT_MIGRATION_LOCK_TABLE && !RUNTIME_STATE.has(t.name),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every table the database has, as its own catalog describes it (bookkeeping included), by name. */
export async function liveTables(db: Db): Promise<TableInfo[]> {
  const tables = engineOf(db) === 'postgres' ? await postgresTables(db) : await sqliteTables(db);
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}

async function sqliteTables(db: Db): Promise<TableInfo[]> {
  const { rows: names } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const out: TableInfo[] = [];
  for (const { name } of names) {
    const { rows: cols } = await sql<{
      name: string;
      pk: number;
    }>`select name, pk from pragma_table_info(${name}) order by cid`.execute(db);
    const { rows: fks } = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(
      db,
    );
    out.push({
      name,
      columns: cols.map((c) => c.name),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: unique(fks.map((f) => f.table).filter((t) => t !== name)),
    });
  }
  return out;
}

async function postgresTables(db: Db): Promise<TableInfo[]> {
  const { rows: names } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const { rows: cols } = await sql<{ table: string; name: string }>`
    select table_name as table, column_name as name from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const { rows: pks } = await sql<{ table: string; name: string }>`
    select tc.table_name as table, k.column_name as name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage k
      on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema and k.table_name = tc.table_name
    where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
    order by k.ordinal_position`.execute(db);
  const { rows: fks } = await sql<{ table: string; to: string }>`
    select cf.relname as table, ct.relname as to
    from pg_constraint c
    join pg_class cf on cf.oid = c.conrelid
    join pg_class ct on ct.oid = c.confrelid
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
  return names.map(({ name }) => ({
    name,
    columns: cols.filter((c) => c.table === name).map((c) => c.name),
    primaryKey: pks.filter((c) => c.table === name).map((c) => c.name),
    references: unique(fks.filter((f) => f.table === name && f.to !== name).map((f) => f.to)),
  }));
}

const unique = (names: string[]) => [...new Set(names)];

/** Tables ordered so that every table comes after the tables it references: the order to fill them in. */
export function fillOrder(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo, path: readonly string[]) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name))
      throw new Error(`tables reference each other in a loop: ${[...path, t.name].join(' → ')}`);
    for (const r of t.references) {
      const ref = byName.get(r);
      if (ref) visit(ref, [...path, t.name]);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}

/**
 * What tells two openings of one database apart from two databases, whatever URLs led to them
 * (`localhost` and `127.0.0.1`, a relative and an absolute path, a symlink): the SQLite file's
 * device and inode; PostgreSQL's database name and the server's start time and port.
 */
export async function storeIdentity(db: Db): Promise<string> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ id: string }>`
      select current_database() || '@' || pg_postmaster_start_time()::text || ':' || coalesce(inet_server_port(), 0)::text as id`.execute(
      db,
    );
    return `postgres:${rows[0]!.id}`;
  }
  const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  const file = rows[0]?.file ?? '';
  // An in-memory database has no file and is never the same as another.
  if (!file) return `sqlite:memory:${Math.random()}`;
  const s = statSync(file);
  return `sqlite:${s.dev}:${s.ino}`;
}
