// ../../work/wt/h-studio/src/store/rate-limits.ts
import { sql } from "../vendor/kysely.js";
function kyselyRateLimitCounter(db) {
  return {
    async hit(key, windowMs, now) {
      const over = sql`rate_limits.window_start <= ${now - windowMs}`;
      const row = await db.insertInto("rate_limits").values({ key, window_start: now, count: 1 }).onConflict(
        (oc) => oc.column("key").doUpdateSet({
          count: sql`case when ${over} then 1 else rate_limits.count + 1 end`,
          window_start: sql`case when ${over} then ${now} else rate_limits.window_start end`
        })
      ).returning(["count", "window_start"]).executeTakeFirstOrThrow();
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },
    async read(key, windowMs, now) {
      const row = await db.selectFrom("rate_limits").select(["count", "window_start"]).where("key", "=", key).executeTakeFirst();
      if (!row || Number(row.window_start) <= now - windowMs) return { count: 0, windowStart: now };
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },
    async prune(before) {
      const result = await db.deleteFrom("rate_limits").where("window_start", "<", before).executeTakeFirst();
      return Number(result.numDeletedRows);
    }
  };
}
export {
  kyselyRateLimitCounter
};
//# sourceMappingURL=rate-limits.js.map
