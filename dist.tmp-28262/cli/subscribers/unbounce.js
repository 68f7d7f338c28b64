// ../../work/wt/h-studio/src/cli/subscribers/unbounce.ts
import { checkAddress } from "../../subscription/address.js";
import { UsageError } from "../command.js";
import { withApp } from "../with-app.js";
var unbounce = {
  usage: [
    "newsletter subscribers unbounce EMAIL [--reason '\u2026']",
    "",
    "Returns a bounced reader to active: the suppression goes, their soft-bounce count starts",
    'again, and their next tip is due at their usual time. The reason (default: "lifted by the',
    'operator") is kept with their bounce history and logged. Only bounces: a complaint or an',
    "unsubscribe is lifted by the reader subscribing again on the site."
  ].join("\n"),
  options: { reason: { type: "string" } },
  positionals: { min: 1, max: 1, missing: "an email address" },
  async run({ values, positionals }, io) {
    const address = checkAddress(positionals[0]);
    if (!address.ok) throw new UsageError(address.reason);
    const reason = typeof values.reason === "string" && values.reason.trim() ? values.reason.trim() : "lifted by the operator";
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      const s = await store.byEmail(address.normalized);
      if (!s) {
        io.err(`${address.email} is not on the list; nothing to unbounce (a reader erased after a bounce can subscribe again on the site)`);
        return 1;
      }
      if (s.status !== "bounced") {
        io.err(`${s.email} is ${s.status}, not bounced; nothing changed`);
        return 1;
      }
      const subscriptions = await app.subscriptions();
      if (!await subscriptions.unbounce(s, reason, io.now())) {
        io.err(`${s.email} changed while this ran; nothing changed, try again`);
        return 1;
      }
      io.out(`${s.email} is active again (was bounced); reason recorded: ${reason}`);
      return 0;
    });
  }
};
var unbounce_default = unbounce;
export {
  unbounce_default as default
};
//# sourceMappingURL=unbounce.js.map
