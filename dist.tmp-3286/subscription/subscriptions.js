// ../../work/wt/h-studio/src/subscription/subscriptions.ts
import { DAY, resolve, subscriptionContext } from "./context.js";
import { erase, exportData } from "./data-rights.js";
import { pause, restart, resume, unbounce, unsubscribe, updatePreferences } from "./preferences.js";
import { add, confirm, importedRows, subscribe } from "./sign-up.js";
import {
  CONFIRM_RESEND_MS,
  CONFIRMATIONS_PER_DAY
} from "./context.js";
import {
  QUEUE_FULL_RETRY_AFTER_S
} from "./sign-up.js";
import { isValidZone } from "./zones.js";
var PENDING_TTL_MS = 30 * DAY;
function purgeUnconfirmed(store, now) {
  return store.purgePending(now.getTime() - PENDING_TTL_MS);
}
var bind = (ctx, rule) => (...args) => rule(ctx, ...args);
function createSubscriptions(deps) {
  const ctx = subscriptionContext(deps);
  return {
    resolve: (token, purpose, now) => resolve(ctx, token, purpose, now),
    subscribe: bind(ctx, subscribe),
    confirm: bind(ctx, confirm),
    unsubscribe: bind(ctx, unsubscribe),
    updatePreferences: bind(ctx, updatePreferences),
    pause: bind(ctx, pause),
    resume: bind(ctx, resume),
    restart: bind(ctx, restart),
    exportData: bind(ctx, exportData),
    erase: bind(ctx, erase),
    unbounce: bind(ctx, unbounce),
    /** Erases pending subscribers who did not confirm within 30 days; returns how many. */
    purgePending: async (now) => {
      const count = await purgeUnconfirmed(deps.store, now);
      if (count) ctx.emit("purged", void 0, { count });
      return count;
    },
    /**
     * Sends what waits in the queue of confirmations, welcomes and goodbyes (the relay was down or
     * slow when they were asked for); the scheduler calls it at every tick.
     */
    drainSystemEmails: (now, options = {}) => ctx.mail.drain(now, options),
    importedRow: importedRows(ctx),
    add: bind(ctx, add)
  };
}
export {
  CONFIRMATIONS_PER_DAY,
  CONFIRM_RESEND_MS,
  PENDING_TTL_MS,
  QUEUE_FULL_RETRY_AFTER_S,
  createSubscriptions,
  isValidZone,
  purgeUnconfirmed
};
//# sourceMappingURL=subscriptions.js.map
