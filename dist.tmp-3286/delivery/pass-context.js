// ../../work/wt/h-studio/src/delivery/pass-context.ts
import { performance } from "node:perf_hooks";
import { publishedTips } from "../content/index.js";
import { senderFor } from "../mailer/compose.js";
import { STALE_CLAIM_MS } from "./retry-policy.js";
function passContext(input) {
  const published = publishedTips(input.tips);
  const now = input.now.getTime();
  const started = performance.now();
  return {
    store: input.store,
    published,
    bySlug: new Map(published.map((t) => [t.slug, t])),
    now,
    staleBefore: now - STALE_CLAIM_MS,
    defaults: { zone: input.settings.timezone, time: input.series.sendTime },
    cadenceDays: input.series.cadenceDays,
    batchSize: input.batchSize ?? 500,
    startAt: input.startAt,
    sender: senderFor(input.series, input.settings.from),
    clock: input.clock ?? (() => now + Math.round(performance.now() - started))
  };
}
export {
  passContext
};
//# sourceMappingURL=pass-context.js.map
