// ../../work/wt/h-studio/src/web/background-mail.ts
import { withoutAddresses } from "../redact.js";
function backgroundMail(mailBacklog, log) {
  const inFlight = /* @__PURE__ */ new Set();
  return {
    background(what, send) {
      if (!send || inFlight.size >= mailBacklog) return;
      const tracked = new Promise((resolve) => setImmediate(resolve)).then(send).then(
        (r) => {
          if (r.outcome === "queued")
            log(
              `${what} email could not be sent now: ${withoutAddresses(r.reason)}; it stays queued and the scheduler tries again`
            );
          if (r.outcome === "failed")
            log(`${what} email was refused by the mail server: ${withoutAddresses(r.reason)}`);
        },
        (e) => log(
          `${what} email could not be sent: ${withoutAddresses(e instanceof Error ? e.message : String(e))}; it stays queued and the scheduler tries again`
        )
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    }
  };
}
export {
  backgroundMail
};
//# sourceMappingURL=background-mail.js.map
