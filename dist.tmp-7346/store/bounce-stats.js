// ../../work/wt/h-studio/src/store/bounce-stats.ts
import { sql } from "../vendor/kysely.js";
var figures = (delivered, refused, laterBounces, complaints) => {
  const attempted = delivered + refused;
  const bounced = refused + laterBounces;
  return {
    delivered,
    bounced,
    complaints,
    bounceRate: attempted ? bounced / attempted : null,
    complaintRate: delivered ? complaints / delivered : null
  };
};
async function bounceStats(db, since) {
  const ledger = await db.selectFrom("deliveries").select([
    "tip_slug",
    (eb) => eb.fn.max("week").as("week"),
    sql`sum(case when state = 'sent' then 1 else 0 end)`.as("delivered"),
    sql`sum(case when state = 'bounced' then 1 else 0 end)`.as("refused")
  ]).groupBy("tip_slug").execute();
  const later = await db.selectFrom("bounce_events as e").innerJoin("deliveries as d", "d.id", "e.delivery_id").select(["d.tip_slug", "e.kind", sql`count(distinct e.delivery_id)`.as("n")]).where("e.kind", "in", ["hard", "complaint"]).where("d.state", "=", "sent").groupBy(["d.tip_slug", "e.kind"]).execute();
  const laterOf = (slug, kind) => Number(later.find((r) => r.tip_slug === slug && r.kind === kind)?.n ?? 0);
  const tips = ledger.map((r) => ({
    slug: r.tip_slug,
    week: Number(r.week),
    ...figures(
      Number(r.delivered ?? 0),
      Number(r.refused ?? 0),
      laterOf(r.tip_slug, "hard"),
      laterOf(r.tip_slug, "complaint")
    )
  })).sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));
  const sent = await db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).where("state", "=", "sent").where("sent_at", ">=", since).executeTakeFirst();
  const refused = await db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).where("state", "=", "bounced").where("created_at", ">=", since).executeTakeFirst();
  const recentEvents = await db.selectFrom("bounce_events").select(["kind", sql`count(distinct subscriber_id)`.as("n")]).where("received_at", ">=", since).where("kind", "in", ["hard", "complaint"]).groupBy("kind").execute();
  const recentOf = (kind) => Number(recentEvents.find((r) => r.kind === kind)?.n ?? 0);
  return {
    tips,
    recent: figures(Number(sent?.n ?? 0), Number(refused?.n ?? 0), recentOf("hard"), recentOf("complaint"))
  };
}
export {
  bounceStats
};
//# sourceMappingURL=bounce-stats.js.map
