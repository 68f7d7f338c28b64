// ../../work/wt/h-studio/src/subscription/context.ts
import { randomBytes } from "node:crypto";
import { nextDueAfterChange, sendClockFor } from "../series/cadence.js";
import { canonicalZone } from "../series/zones.js";
import { addressHash } from "./address.js";
import { eventFor } from "./events.js";
import { RETURNING } from "./status.js";
import {
  createSystemMail,
  systemEmailFor
} from "./system-mail.js";
import { tokenLifetimeDays, verifyToken } from "./tokens.js";
import { isValidZone } from "./zones.js";
var MINUTE = 6e4;
var DAY = 864e5;
var CONFIRM_RESEND_MS = 10 * MINUTE;
var CONFIRMATIONS_PER_DAY = 3;
var READER_LIFTABLE = ["unsubscribed", "erased", "bounced", "complained"];
function pendingRow(address, input, at) {
  return {
    publicId: randomBytes(16).toString("base64url"),
    email: address.email,
    emailNormalized: address.normalized,
    name: input.name,
    status: "pending",
    timezone: isValidZone(input.timezone) ? canonicalZone(input.timezone) : null,
    sendTime: null,
    consentAt: at,
    consentIp: input.ip?.slice(0, 64) ?? null,
    consentUserAgent: input.userAgent?.slice(0, 300) ?? null,
    consentSource: input.source,
    createdAt: at,
    confirmedAt: null,
    statusChangedAt: at,
    nextSendAt: null,
    lastSentAt: null,
    confirmSentAt: null
  };
}
function subscriptionContext(deps) {
  const { series } = deps;
  return {
    deps,
    store: deps.store,
    mail: createSystemMail(deps),
    emit(...args) {
      try {
        deps.onEvent?.(eventFor(...args));
      } catch {
      }
    },
    // The same clock and cadence rules as the dispatcher's (schedule/cadence.ts).
    dueFor: (s, now) => nextDueAfterChange(
      now,
      s.lastSentAt,
      sendClockFor(
        { timezone: s.timezone, sendTime: s.sendTime },
        { zone: deps.defaultTimezone, time: series.sendTime }
      ),
      series.cadenceDays
    ).getTime()
  };
}
var noted = (ctx, event, s) => (changed) => {
  if (changed) ctx.emit(event, s);
  return changed;
};
var sendNow = (ctx, queued, now) => queued === void 0 ? {} : { send: () => ctx.mail.sendQueued(queued, now) };
function confirmationRequest(ctx, s, now) {
  const at = now.getTime();
  const returning = RETURNING.includes(s.status) ? s.statusChangedAt + 1 : 0;
  return {
    lastAllowedBefore: Math.max(at - CONFIRM_RESEND_MS + 1, returning),
    most: CONFIRMATIONS_PER_DAY,
    since: at - DAY,
    email: systemEmailFor("confirm", s, at, ctx.deps.from)
  };
}
async function liftable(ctx, normalized) {
  const hash = addressHash(normalized);
  const suppressed = await ctx.store.suppression(hash);
  return { blocked: suppressed !== void 0 && !READER_LIFTABLE.includes(suppressed.reason), hash };
}
async function resolve(ctx, token, purpose, now) {
  const check = verifyToken(ctx.deps, token, purpose, now);
  if (!check.ok) return { ok: false, problem: check.reason };
  const subscriber = await ctx.store.byPublicId(check.subject);
  if (!subscriber) return { ok: false, problem: "unknown-subscriber" };
  return { ok: true, subscriber, issuedAt: check.expiresAt.getTime() - tokenLifetimeDays[purpose] * DAY };
}
async function activate(ctx, s, now, from, options) {
  const at = now.getTime();
  const { consent } = options;
  const renewed = RETURNING.includes(from) && consent ? {
    consentAt: at,
    consentIp: consent.ip?.slice(0, 64) ?? null,
    consentUserAgent: consent.userAgent?.slice(0, 300) ?? null,
    consentSource: consent.source
  } : {};
  const patch = {
    status: "active",
    confirmedAt: at,
    statusChangedAt: at,
    nextSendAt: ctx.dueFor(s, now),
    ...renewed
  };
  if (!options.welcome) return { changed: await ctx.store.update(s.id, patch, [from]) };
  return ctx.store.updateAndQueue(s.id, patch, [from], systemEmailFor("welcome", s, at, ctx.deps.from));
}
export {
  CONFIRMATIONS_PER_DAY,
  CONFIRM_RESEND_MS,
  DAY,
  activate,
  confirmationRequest,
  liftable,
  noted,
  pendingRow,
  resolve,
  sendNow,
  subscriptionContext
};
//# sourceMappingURL=context.js.map
