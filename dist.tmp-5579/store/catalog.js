// ../../work/wt/h-studio/src/store/catalog.ts
import { statSync } from "node:fs";
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, sql } from "../vendor/kysely.js";
import { engineOf } from "./engine.js";
var RUNTIME_STATE = /* @__PURE__ */ new Set(["rate_limits", "senders", "webhook_tokens", "relay_state"]);
async function dataTables(db) {
  const tables = await liveTables(db);
  return tables.filter(
    (t) => t.name !== DEFAULT_MIGRATION_TABLE && t.name !== DEFAULT_MIGRATION_LOCK_TABLE && !RUNTIME_STATE.has(t.name)
  ).sort((a, b) => a.name.localeCompare(b.name));
}
async function liveTables(db) {
  const tables = engineOf(db) === "postgres" ? await postgresTables(db) : await sqliteTables(db);
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}
async function sqliteTables(db) {
  const { rows: names } = await sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const out = [];
  for (const { name } of names) {
    const { rows: cols } = await sql`select name, pk from pragma_table_info(${name}) order by cid`.execute(db);
    const { rows: fks } = await sql`select "table" from pragma_foreign_key_list(${name})`.execute(
      db
    );
    out.push({
      name,
      columns: cols.map((c) => c.name),
      primaryKey: cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      references: unique(fks.map((f) => f.table).filter((t) => t !== name))
    });
  }
  return out;
}
async function postgresTables(db) {
  const { rows: names } = await sql`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const { rows: cols } = await sql`
    select table_name as table, column_name as name from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const { rows: pks } = await sql`
    select tc.table_name as table, k.column_name as name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage k
      on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema and k.table_name = tc.table_name
    where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
    order by k.ordinal_position`.execute(db);
  const { rows: fks } = await sql`
    select cf.relname as table, ct.relname as to
    from pg_constraint c
    join pg_class cf on cf.oid = c.conrelid
    join pg_class ct on ct.oid = c.confrelid
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
  return names.map(({ name }) => ({
    name,
    columns: cols.filter((c) => c.table === name).map((c) => c.name),
    primaryKey: pks.filter((c) => c.table === name).map((c) => c.name),
    references: unique(fks.filter((f) => f.table === name && f.to !== name).map((f) => f.to))
  }));
}
var unique = (names) => [...new Set(names)];
function fillOrder(tables) {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = /* @__PURE__ */ new Set();
  const out = [];
  const visit = (t, path) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name))
      throw new Error(`tables reference each other in a loop: ${[...path, t.name].join(" \u2192 ")}`);
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
async function storeIdentity(db) {
  if (engineOf(db) === "postgres") {
    const { rows: rows2 } = await sql`
      select current_database() || '@' || pg_postmaster_start_time()::text || ':' || coalesce(inet_server_port(), 0)::text as id`.execute(
      db
    );
    return `postgres:${rows2[0].id}`;
  }
  const { rows } = await sql`select file from pragma_database_list where name = 'main'`.execute(db);
  const file = rows[0]?.file ?? "";
  if (!file) return `sqlite:memory:${Math.random()}`;
  const s = statSync(file);
  return `sqlite:${s.dev}:${s.ino}`;
}
export {
  dataTables,
  fillOrder,
  liveTables,
  storeIdentity
};
//# sourceMappingURL=catalog.js.map
