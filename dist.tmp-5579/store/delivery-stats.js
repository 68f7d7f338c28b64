// ../../work/wt/h-studio/src/store/delivery-stats.ts
import { countDueSubscribers } from "./due.js";
import { countByStatus } from "./subscribers.js";
async function seriesStats(db, now) {
  const byTip = await db.selectFrom("deliveries").select(["tip_slug", "state", (eb) => eb.fn.max("week").as("week"), (eb) => eb.fn.countAll().as("n")]).groupBy(["tip_slug", "state"]).execute();
  const tips = /* @__PURE__ */ new Map();
  for (const r of byTip) {
    const tip = tips.get(r.tip_slug) ?? { slug: r.tip_slug, week: Number(r.week), states: {} };
    tip.week = Math.max(tip.week, Number(r.week));
    tip.states[r.state] = Number(r.n);
    tips.set(r.tip_slug, tip);
  }
  return {
    subscribers: await countByStatus(db),
    tips: [...tips.values()].sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug)),
    dueNow: await countDueSubscribers(db, now)
  };
}
export {
  seriesStats
};
//# sourceMappingURL=delivery-stats.js.map
