// ../../work/wt/h-studio/src/store/gauges.ts
import { dueSubscribersQuery } from "./due.js";
import { readRelayState } from "./relay-state.js";
import { countByStatus } from "./subscribers.js";
var SUBSCRIBER_STATUSES = [
  "pending",
  "active",
  "paused",
  "unsubscribed",
  "bounced",
  "complained"
];
var DELIVERY_STATES = ["sending", "sent", "retry", "failed", "bounced"];
var BOUNCE_EVENT_KINDS = ["hard", "soft", "complaint", "lifted"];
var BOUNCE_WINDOW_MS = 30 * 864e5;
async function readStoreGauges(db, now) {
  const [byStatus, byState, oldest, byKind, relay] = await Promise.all([
    countByStatus(db),
    db.selectFrom("deliveries").select(["state", (eb) => eb.fn.countAll().as("n")]).groupBy("state").execute(),
    dueSubscribersQuery(db, now).select((eb) => eb.fn.min("next_send_at").as("oldest")).executeTakeFirst(),
    // Over the bounce_events_received index.
    db.selectFrom("bounce_events").select(["kind", (eb) => eb.fn.countAll().as("n")]).where("received_at", ">=", now - BOUNCE_WINDOW_MS).groupBy("kind").execute(),
    readRelayState(db)
  ]);
  const subscribers = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, byStatus[s] ?? 0]));
  const deliveries = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0]));
  for (const r of byState) deliveries[r.state] = Number(r.n);
  const bounceEvents30d = Object.fromEntries(BOUNCE_EVENT_KINDS.map((k) => [k, 0]));
  for (const r of byKind) bounceEvents30d[r.kind] = Number(r.n);
  const oldestDue = oldest?.oldest == null ? void 0 : Number(oldest.oldest);
  return {
    subscribers,
    deliveries,
    retryQueue: deliveries.retry,
    oldestDueLatenessSeconds: oldestDue === void 0 ? 0 : Math.max(0, (now - oldestDue) / 1e3),
    bounceEvents30d,
    relay
  };
}
export {
  BOUNCE_EVENT_KINDS,
  DELIVERY_STATES,
  SUBSCRIBER_STATUSES,
  readStoreGauges
};
//# sourceMappingURL=gauges.js.map
