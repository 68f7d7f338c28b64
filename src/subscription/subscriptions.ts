import { DAY, resolve, subscriptionContext, type SubscriptionDeps } from './context.ts';
import { erase, exportData } from './data-rights.ts';
import { pause, restart, resume, unbounce, unsubscribe, updatePreferences } from './preferences.ts';
import { add, confirm, importedRows, subscribe } from './sign-up.ts';
import type { SubscriberStore } from './subscriber-store.ts';
import type { DrainReport } from './system-mail.ts';
import { verifyToken, type TokenPurpose } from './tokens.ts';

export {
  CONFIRM_RESEND_MS,
  CONFIRMATIONS_PER_DAY,
  type ConsentSource,
  type Resolved,
  type SendNow,
  type SubscriptionDeps,
  type TokenProblem,
} from './context.ts';
export type { PreferenceErrors } from './preferences.ts';
export {
  QUEUE_FULL_RETRY_AFTER_S,
  type SubscribeInput,
  type SubscribeOutcome,
  type SubscribeRefusal,
} from './sign-up.ts';
export { isValidZone } from './zones.ts';

/** Pending subscribers who never confirm are erased after this long. */
export const PENDING_TTL_MS = 30 * DAY;

/**
 * Erases pending subscribers who did not confirm within 30 days; returns how many. `newsletter
 * start` runs it on start; the scheduler runs it with each pass.
 */
export function purgeUnconfirmed(store: SubscriberStore, now: Date): Promise<number> {
  return store.purgePending(now.getTime() - PENDING_TTL_MS);
}

/** `rule` with the context bound: what the site and the CLI call. */
const bind =
  <C, A extends unknown[], T>(ctx: C, rule: (ctx: C, ...args: A) => T) =>
  (...args: A): T =>
    rule(ctx, ...args);

/**
 * The opt-in, unsubscribe and preference rules. The site and the operator's commands call these;
 * they see a SubscriberStore and a Mailer, never SQL or SMTP. Every method takes `now`.
 * Confirmations, welcomes and goodbyes are queued with the change that calls for them (one
 * transaction); a change returns `send` to send its email now, which the site calls after
 * answering (a request never waits for SMTP, and its timing says nothing about the address)
 * and the CLI before printing. Whatever is not sent then, the scheduler's drain sends.
 * The rules live by what they do: sign-up.ts (subscribe, confirm, the operator's add and
 * import), preferences.ts (unsubscribe, preferences, pause, restart, unbounce) and
 * data-rights.ts (download and erase).
 */
export function createSubscriptions(deps: SubscriptionDeps) {
  const ctx = subscriptionContext(deps);
  return {
    resolve: (token: unknown, purpose: TokenPurpose, now: Date) => resolve(ctx, token, purpose, now),
    /** A valid probe token (`newsletter doctor`): the route answers as it would and changes nothing. */
    isProbe: (token: unknown, now: Date) => verifyToken(deps, token, 'probe', now).ok,
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
    purgePending: async (now: Date) => {
      const count = await purgeUnconfirmed(deps.store, now);
      if (count) ctx.emit('purged', undefined, { count });
      return count;
    },
    /**
     * Sends what waits in the queue of confirmations, welcomes and goodbyes (the relay was down or
     * slow when they were asked for); the scheduler calls it at every tick.
     */
    drainSystemEmails: (now: Date, options: { signal?: AbortSignal } = {}): Promise<DrainReport> =>
      ctx.mail.drain(now, options),
    importedRow: importedRows(ctx),
    add: bind(ctx, add),
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
