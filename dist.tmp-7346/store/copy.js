// ../../work/wt/h-studio/src/store/copy.ts
import { sql } from "../vendor/kysely.js";
import { dataTables, fillOrder, storeIdentity } from "./catalog.js";
import { migrate } from "./database.js";
import { engineOf } from "./engine.js";
import { CopyError } from "../errors.js";
var MAX_PARAMETERS = 3e4;
async function copyStore(source, target, options = {}) {
  if (await storeIdentity(source) === await storeIdentity(target)) {
    throw new CopyError("the source and the target are the same database; nothing to copy");
  }
  await migrate(target);
  const tables = fillOrder(await dataTables(target));
  await sameTables(source, tables);
  return snapshot(
    source,
    (from) => target.transaction().execute(async (to) => {
      await makeRoom(to, tables, options.force ?? false);
      const copied = [];
      for (const table of tables)
        copied.push({ name: table.name, rows: await copyTable(from, to, table, options.batchSize ?? 1e3) });
      if (engineOf(to) === "postgres") await moveSequences(to);
      await verifyCounts(from, to, tables);
      return copied;
    })
  );
}
async function sameTables(source, tables) {
  const have = new Map((await dataTables(source)).map((t) => [t.name, t]));
  const problems = [];
  for (const t of tables) {
    const s = have.get(t.name);
    if (!s) problems.push(`it has no table ${t.name}`);
    else {
      const missing = t.columns.filter((c) => !s.columns.includes(c));
      if (missing.length) problems.push(`its table ${t.name} has no column ${missing.join(", ")}`);
      const extra = s.columns.filter((c) => !t.columns.includes(c));
      if (extra.length)
        problems.push(`its table ${t.name} has columns this version does not know: ${extra.join(", ")}`);
    }
    have.delete(t.name);
  }
  for (const name of have.keys()) problems.push(`it has a table this version does not know: ${name}`);
  if (problems.length) {
    throw new CopyError(
      `the source is not at this version's schema (${problems.join("; ")}). Bring it up to date first (NEWSLETTER_DATABASE_URL=<from-url> newsletter migrate), or use the version of newsletter that last migrated it.`
    );
  }
}
async function snapshot(source, read) {
  const trx = engineOf(source) === "postgres" ? source.transaction().setIsolationLevel("repeatable read").setAccessMode("read only") : source.transaction();
  return trx.execute(read);
}
async function makeRoom(to, tables, force) {
  const filled = [];
  for (const t of tables) {
    const n = await count(to, t.name);
    if (n > 0) filled.push(`${t.name} (${n})`);
  }
  if (filled.length === 0) return;
  if (!force)
    throw new CopyError(
      `the target is not empty: ${filled.join(", ")}. Pass --force to replace its contents with the source's.`
    );
  if (engineOf(to) === "postgres") {
    await sql`truncate table ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(to);
  } else {
    for (const t of [...tables].reverse()) await to.deleteFrom(t.name).execute();
  }
}
async function copyTable(from, to, table, batchSize) {
  const size = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const engine = engineOf(to);
  const key = table.primaryKey.length ? table.primaryKey : table.columns;
  const order = key.map((c) => sql.ref(c));
  let after;
  let copied = 0;
  for (; ; ) {
    let q = from.selectFrom(table.name).select(table.columns).limit(size);
    for (const c of order) q = q.orderBy(c);
    if (after && table.primaryKey.length) q = q.where(sql`(${sql.join(order)}) > (${sql.join(after)})`);
    else if (!table.primaryKey.length && copied) q = q.offset(copied);
    const rows = await q.execute();
    if (rows.length === 0) break;
    await to.insertInto(table.name).values(rows.map((r) => forEngine(r, engine))).execute();
    copied += rows.length;
    const last = rows[rows.length - 1];
    after = key.map((c) => last[c]);
    if (rows.length < size) break;
  }
  return copied;
}
function forEngine(row, engine) {
  if (engine !== "sqlite") return row;
  const out = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === "boolean" ? Number(v) : v;
  return out;
}
async function moveSequences(to) {
  const { rows } = await sql`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = current_schema() and (is_identity = 'YES' or column_default like 'nextval(%')`.execute(to);
  for (const { table, column } of rows) {
    const quoted = `"${table.replaceAll('"', '""')}"`;
    await sql`select setval(pg_get_serial_sequence(${quoted}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(
      to
    );
  }
}
async function verifyCounts(from, to, tables) {
  const differ = [];
  for (const t of tables) {
    const [a, b] = [await count(from, t.name), await count(to, t.name)];
    if (a !== b) differ.push(`${t.name}: ${a} in the source, ${b} in the target`);
  }
  if (differ.length)
    throw new CopyError(`row counts differ after copying (${differ.join("; ")}); nothing was committed to the target.`);
}
async function count(db, table) {
  const { rows } = await sql`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0].n);
}
export {
  CopyError,
  copyStore
};
//# sourceMappingURL=copy.js.map
