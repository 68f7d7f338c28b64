// ../../work/wt/h-studio/src/series/next-tip.ts
import { earliestNextTip, MIN_DAYS_BETWEEN_TIPS } from "./cadence.js";
import { nextLocalSendTime } from "./send-time.js";
var waitReasonText = {
  suppressed: "address is suppressed",
  "retry-pending": "an earlier tip is still being retried",
  "too-soon": "last tip less than six days ago",
  finished: "has had every published tip"
};
function decide(subscriber, ledger, isSuppressed, published, now, clock) {
  if (isSuppressed) return { kind: "wait", until: null, reason: "suppressed" };
  const nextLocal = () => nextLocalSendTime(new Date(now), clock.zone, clock.time).getTime();
  if (ledger.some((e) => e.state === "sending" || e.state === "retry"))
    return { kind: "wait", until: nextLocal(), reason: "retry-pending" };
  if (subscriber.lastSentAt !== null && now - subscriber.lastSentAt < MIN_DAYS_BETWEEN_TIPS * 864e5) {
    return {
      kind: "wait",
      until: earliestNextTip(new Date(subscriber.lastSentAt), clock).getTime(),
      reason: "too-soon"
    };
  }
  const had = new Set(ledger.filter((e) => e.state !== "failed").map((e) => e.slug));
  const tip = published.find((t) => !had.has(t.slug));
  if (!tip) return { kind: "wait", until: nextLocal(), reason: "finished" };
  return { kind: "send", tip };
}
export {
  decide,
  waitReasonText
};
//# sourceMappingURL=next-tip.js.map
