// ../../work/wt/h-studio/src/subscription/sign-up.ts
import { addressHash, checkAddress } from "./address.js";
import {
  activate,
  confirmationRequest,
  liftable,
  pendingRow,
  resolve,
  sendNow
} from "./context.js";
import { checkName } from "./names.js";
import { isSubscribed, RETURNING } from "./status.js";
import { isValidZone } from "./zones.js";
var QUEUE_FULL_RETRY_AFTER_S = 300;
async function queueFull(ctx) {
  const limit = ctx.deps.confirmationQueueLimit;
  if (limit === void 0 || await ctx.store.waitingConfirmations(limit) < limit) return void 0;
  return {
    ok: false,
    problem: "busy",
    reason: `We are sending many confirmation emails right now. Please try again in ${QUEUE_FULL_RETRY_AFTER_S / 60} minutes.`,
    retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_S
  };
}
async function subscribe(ctx, input, now) {
  const address = checkAddress(input.email);
  if (!address.ok) return { ok: false, problem: "email", reason: address.reason };
  const name = checkName(input.name);
  if (!name.ok) return { ok: false, problem: "name", reason: name.reason };
  const busy = await queueFull(ctx);
  if (busy) return busy;
  const at = now.getTime();
  const { blocked } = await liftable(ctx, address.normalized);
  const answer = (outcome, s2) => {
    ctx.emit("subscribe", s2 ?? { emailNormalized: address.normalized }, { outcome, source: input.source });
    return { ok: true, outcome };
  };
  if (blocked) return answer("suppressed");
  const wantsConfirmation = (s2, created) => created || s2.status === "pending" || RETURNING.includes(s2.status);
  const r = await ctx.store.signUp(
    pendingRow(address, { ...input, name: name.name }, at),
    (s2, created) => wantsConfirmation(s2, created) ? confirmationRequest(ctx, s2, now) : void 0
  );
  const s = r.subscriber;
  if (r.refused === "recent") return answer("confirmation-recent", s);
  if (r.refused === "daily-limit") return answer("confirmation-limit", s);
  if (r.queued === void 0) return answer(isSubscribed(s.status) ? "already-subscribed" : "not-mailable", s);
  return { ...answer("confirmation-sent", s), ...sendNow(ctx, r.queued, now) };
}
async function confirm(ctx, token, now, consent) {
  const r = await resolve(ctx, token, "confirm", now);
  if (!r.ok) return r;
  let s = r.subscriber;
  let changed = false;
  let queued;
  if (s.status === "pending" || RETURNING.includes(s.status)) {
    const { blocked, hash } = await liftable(ctx, s.emailNormalized);
    if (blocked) return { ok: false, problem: "not-mailable" };
    if (s.status !== "pending" && r.issuedAt + 1e3 <= s.statusChangedAt) return { ok: false, problem: "stale" };
    ({ changed, queued } = await activate(ctx, s, now, s.status, { consent, welcome: true }));
    if (changed) {
      await ctx.store.unsuppress(hash);
      ctx.emit("confirmed", s, { source: consent?.source ?? "web" });
    }
    s = await ctx.store.byPublicId(s.publicId) ?? s;
  }
  if (!isSubscribed(s.status)) return { ok: false, problem: "not-mailable" };
  return { ok: true, subscriber: s, alreadyConfirmed: !changed, ...sendNow(ctx, queued, now) };
}
function checkAdd(input) {
  const address = checkAddress(input.email);
  if (!address.ok) return address;
  const name = checkName(input.name);
  if (!name.ok) return { ok: false, reason: `the name: ${name.reason}` };
  const zone = input.timezone;
  if (zone !== void 0 && zone !== null && zone !== "" && !isValidZone(zone)) {
    return {
      ok: false,
      reason: `unknown time zone "${String(zone)}"; use an IANA name like Europe/London`
    };
  }
  return { ok: true, address, name: name.name };
}
async function add(ctx, input, now) {
  const checked = checkAdd(input);
  if (!checked.ok) return checked;
  const { address } = checked;
  const suppression = await ctx.store.suppression(addressHash(address.normalized));
  if (suppression) return { ok: true, outcome: "suppressed", suppressedFor: suppression.reason };
  const at = now.getTime();
  const r = await ctx.store.signUp(
    pendingRow(address, { ...input, name: checked.name }, at),
    (s, created) => created && !input.confirmed ? confirmationRequest(ctx, s, now) : void 0
  );
  const { subscriber } = r;
  if (!r.created) return { ok: true, outcome: "exists", subscriber };
  ctx.emit("added", subscriber, { source: input.source, outcome: input.confirmed ? "active" : "pending" });
  if (!input.confirmed) return { ok: true, outcome: "added", subscriber, ...sendNow(ctx, r.queued, now) };
  const { queued } = await activate(ctx, subscriber, now, "pending", { welcome: input.welcome });
  const active = await ctx.store.byPublicId(subscriber.publicId) ?? subscriber;
  return { ok: true, outcome: "added", subscriber: active, ...sendNow(ctx, queued, now) };
}
function importedRows(ctx) {
  let importDue = { at: Number.NaN, byZone: /* @__PURE__ */ new Map() };
  return (address, input, now) => {
    const at = now.getTime();
    const row = pendingRow(
      address,
      { ...input, name: typeof input.name === "string" ? input.name : null, source: "import" },
      at
    );
    if (importDue.at !== at) importDue = { at, byZone: /* @__PURE__ */ new Map() };
    const zone = row.timezone ?? "";
    let due = importDue.byZone.get(zone);
    if (due === void 0) {
      due = ctx.dueFor({ ...row, id: 0, cycle: 0 }, now);
      importDue.byZone.set(zone, due);
    }
    return { ...row, status: "active", confirmedAt: at, nextSendAt: due };
  };
}
export {
  QUEUE_FULL_RETRY_AFTER_S,
  add,
  confirm,
  importedRows,
  subscribe
};
//# sourceMappingURL=sign-up.js.map
