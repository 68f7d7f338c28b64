// ../../work/wt/h-studio/src/mailer/paced-mailer.ts
import { setTimeout as sleep } from "node:timers/promises";
function pacedMailer(mailer, rate) {
  let next = 0;
  return {
    concurrency: mailer.concurrency,
    describe: () => mailer.describe(),
    close: () => mailer.close(),
    async send(message) {
      const r = rate();
      if (r !== void 0 && r > 0) {
        const now = performance.now();
        const at = Math.max(now, next);
        next = at + 1e3 / r;
        if (at > now) await sleep(at - now);
      }
      return mailer.send(message);
    }
  };
}
export {
  pacedMailer
};
//# sourceMappingURL=paced-mailer.js.map
