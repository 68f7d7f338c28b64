// ../../work/wt/h-studio/src/store/import-batch.ts
import { CompiledQuery } from "../vendor/kysely.js";
import { engineOf } from "./engine.js";
import { subscriberColumns } from "./subscriber-rows.js";
var INSERT_CHUNK = 500;
var FIELDS = Object.keys(subscriberColumns);
var COLUMNS = FIELDS.map((field) => subscriberColumns[field]);
var insertSqlCache = /* @__PURE__ */ new Map();
function insertSql(engine, n) {
  const key = `${engine}:${n}`;
  let text = insertSqlCache.get(key);
  if (!text) {
    let p = 0;
    const param = () => engine === "postgres" ? `$${++p}` : "?";
    const rows = Array.from({ length: n }, () => `(${COLUMNS.map(param).join(", ")})`);
    text = `insert into subscribers (${COLUMNS.join(", ")}) values ${rows.join(", ")} on conflict (email_normalized) do nothing returning email_normalized`;
    insertSqlCache.set(key, text);
  }
  return text;
}
async function importBatch(db, candidates, options) {
  if (candidates.length === 0) return [];
  const work = async (trx) => {
    const suppressed = new Set(
      (await trx.selectFrom("suppressions").select("email_hash").where(
        "email_hash",
        "in",
        candidates.map((c) => c.hash)
      ).execute()).map((r) => r.email_hash)
    );
    const existing = new Set(
      (await trx.selectFrom("subscribers").select("email_normalized").where(
        "email_normalized",
        "in",
        candidates.map((c) => c.row.emailNormalized)
      ).execute()).map((r) => r.email_normalized)
    );
    const outcomes = candidates.map(
      (c) => suppressed.has(c.hash) ? "suppressed" : existing.has(c.row.emailNormalized) ? "exists" : "added"
    );
    if (options.dryRun) return outcomes;
    const fresh = candidates.filter((_, i) => outcomes[i] === "added");
    const inserted = /* @__PURE__ */ new Set();
    const engine = engineOf(trx);
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const chunk = fresh.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((c) => FIELDS.map((field) => c.row[field] ?? null));
      const r = await trx.executeQuery(
        CompiledQuery.raw(insertSql(engine, chunk.length), params)
      );
      for (const row of r.rows) inserted.add(row.email_normalized);
    }
    return candidates.map(
      (c, i) => outcomes[i] === "added" && !inserted.has(c.row.emailNormalized) ? "exists" : outcomes[i]
    );
  };
  return options.dryRun ? work(db) : db.transaction().execute(work);
}
export {
  importBatch
};
//# sourceMappingURL=import-batch.js.map
