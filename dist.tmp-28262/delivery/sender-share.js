// ../../work/wt/h-studio/src/delivery/sender-share.ts
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { pacedMailer } from "../mailer/paced-mailer.js";
import { runPass } from "./dispatcher.js";
var HEARTBEAT_MS = 2e3;
var STALE_SENDER_MS = 1e4;
function rateShare(rate, livePasses) {
  return rate === void 0 ? void 0 : rate / Math.max(1, livePasses);
}
async function joinSenders(registry, options) {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const staleMs = options.staleMs ?? STALE_SENDER_MS;
  const id = randomUUID();
  let live = await registry.join(id, staleMs) + 1;
  let stopped = false;
  let timer;
  const schedule = () => {
    timer = setTimeout(async () => {
      live = await registry.beat(id, staleMs).catch(() => live);
      if (!stopped) schedule();
    }, heartbeatMs);
    timer.unref();
  };
  schedule();
  if (options.rate !== void 0 && live > 1) await sleep(Math.round(heartbeatMs * 1.25));
  return {
    rate: () => rateShare(options.rate, live),
    live: () => live,
    async leave() {
      stopped = true;
      clearTimeout(timer);
      await registry.leave(id).catch(() => void 0);
    }
  };
}
async function runSharedPass(input) {
  const { registry, rate, mailer, ...pass } = input;
  const share = await joinSenders(registry, { rate });
  const startAt = share.live() > 1 ? Math.random() : void 0;
  try {
    return await runPass({
      ...pass,
      ...startAt === void 0 ? {} : { startAt },
      mailer: rate === void 0 ? mailer : pacedMailer(mailer, share.rate)
    });
  } finally {
    await share.leave();
  }
}
export {
  HEARTBEAT_MS,
  STALE_SENDER_MS,
  joinSenders,
  rateShare,
  runSharedPass
};
//# sourceMappingURL=sender-share.js.map
