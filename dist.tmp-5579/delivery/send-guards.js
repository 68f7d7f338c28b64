// ../../work/wt/h-studio/src/delivery/send-guards.ts
import { withoutAddresses } from "../redact.js";
var MAX_REFUSED_IN_A_ROW = 10;
var STOP_CAUSES = [
  "relay_unavailable",
  "relay_temporary",
  "relay_refused_sender",
  "recipients_refused",
  "database",
  "shutdown",
  "not_sent"
];
var SendGuards = class {
  constructor(mailer) {
    this.mailer = mailer;
    this.maxRelayFailures = Math.max(3, 2 * mailer.concurrency);
  }
  mailer;
  refusedInARow = 0;
  relayInARow = 0;
  // One temporary relay failure is a hiccup (a pool's connections may all go at once, a relay
  // may close a connection after so many messages); more in a row than the pool explains means
  // the relay is not taking mail.
  maxRelayFailures;
  /** A message went out: whatever came before was about those readers, not the server. */
  sent() {
    this.refusedInARow = 0;
    this.relayInARow = 0;
  }
  /** Why the pass must stop after this failure, if it must. */
  failed(error) {
    if (error.kind === "permanent") {
      this.relayInARow = 0;
      this.refusedInARow++;
      return this.refusedInARow >= MAX_REFUSED_IN_A_ROW ? {
        cause: "recipients_refused",
        why: `${this.refusedInARow} recipients in a row were refused (${this.mailer.describe()}); last: ${error.response}. Check the server and NEWSLETTER_FROM before the next pass`
      } : void 0;
    }
    this.refusedInARow = 0;
    if (error.kind === "unavailable") {
      const shown = withoutAddresses(error.about.advice ?? error.response);
      if (error.about.senderRefusal)
        return { cause: "relay_refused_sender", why: `${shown} (${this.mailer.describe()})` };
      return {
        cause: error.response.startsWith("not sent:") ? "not_sent" : "relay_unavailable",
        why: `sending is unavailable (${this.mailer.describe()}): ${shown}`
      };
    }
    this.relayInARow = error.kind === "relay" ? this.relayInARow + 1 : 0;
    if (this.relayInARow >= this.maxRelayFailures) {
      return {
        cause: "relay_temporary",
        why: `the relay is not taking mail for now: ${this.relayInARow} tries in a row failed (${this.mailer.describe()}); last: ${withoutAddresses(error.response)}. No reader's retries were used; the next pass tries again (if it lasts, check the relay)`
      };
    }
    return void 0;
  }
};
export {
  STOP_CAUSES,
  SendGuards
};
//# sourceMappingURL=send-guards.js.map
