// ../../work/wt/h-studio/src/subscription/preferences.ts
import { isLocalTime } from "../content/local-time.js";
import { MAX_NAME_LENGTH } from "../render/personalise.js";
import { canonicalZone } from "../series/zones.js";
import { addressHash } from "./address.js";
import { noted, sendNow } from "./context.js";
import { checkName } from "./names.js";
import { isSubscribed, SUBSCRIBED } from "./status.js";
import { systemEmailFor } from "./system-mail.js";
import { isValidZone } from "./zones.js";
async function unsubscribe(ctx, s, now, options) {
  const { store } = ctx;
  const at = now.getTime();
  const patch = { status: "unsubscribed", statusChangedAt: at, nextSendAt: null };
  const from = ["pending", ...SUBSCRIBED];
  const goodbye = !options.oneClick && s.status !== "pending";
  const { changed, queued } = goodbye ? await store.updateAndQueue(s.id, patch, from, systemEmailFor("goodbye", s, at, ctx.deps.from)) : { changed: await store.update(s.id, patch, from), queued: void 0 };
  if (changed) {
    await store.suppress(addressHash(s.emailNormalized), "unsubscribed", at);
    ctx.emit("unsubscribed", s, { oneClick: options.oneClick });
  }
  return { changed, ...sendNow(ctx, queued, now) };
}
function preferencePatch(input) {
  const errors = {};
  const patch = {};
  if (input.name !== void 0) {
    const name = checkName(input.name);
    if (typeof input.name !== "string" || input.name.trim().length > MAX_NAME_LENGTH)
      errors.name = `Please use at most ${MAX_NAME_LENGTH} characters for your name.`;
    else if (!name.ok) errors.name = name.reason;
    else patch.name = name.name;
  }
  if (input.timezone !== void 0) {
    if (!isValidZone(input.timezone)) errors.timezone = "Please choose a time zone from the list, like Europe/London.";
    else patch.timezone = canonicalZone(input.timezone);
  }
  if (input.sendTime !== void 0) {
    if (!isLocalTime(input.sendTime)) errors.sendTime = "Please give a time like 19:00 (7 pm).";
    else patch.sendTime = input.sendTime;
  }
  return { patch, errors };
}
async function updatePreferences(ctx, s, input, now) {
  const { patch, errors } = preferencePatch(input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const next = { ...s, ...patch };
  if (s.status === "active") patch.nextSendAt = ctx.dueFor(next, now);
  await ctx.store.update(s.id, patch);
  ctx.emit("preferences", s);
  return { ok: true, subscriber: await ctx.store.byPublicId(s.publicId) ?? next };
}
function pause(ctx, s, now) {
  return ctx.store.update(s.id, { status: "paused", statusChangedAt: now.getTime(), nextSendAt: null }, ["active"]).then(noted(ctx, "paused", s));
}
function resume(ctx, s, now) {
  return ctx.store.update(s.id, { status: "active", statusChangedAt: now.getTime(), nextSendAt: ctx.dueFor(s, now) }, ["paused"]).then(noted(ctx, "resumed", s));
}
async function restart(ctx, s, now) {
  if (!isSubscribed(s.status)) return false;
  return ctx.store.restartCycle(s.id, s.status === "active" ? { nextSendAt: ctx.dueFor(s, now) } : {}).then(noted(ctx, "restarted", s));
}
async function unbounce(ctx, s, reason, now) {
  if (s.status !== "bounced") return false;
  const at = now.getTime();
  const changed = await ctx.store.liftBounce(
    s.id,
    addressHash(s.emailNormalized),
    { status: "active", statusChangedAt: at, nextSendAt: ctx.dueFor(s, now) },
    reason,
    at
  );
  if (changed) ctx.emit("unbounced", s, { source: "cli", reason });
  return changed;
}
export {
  pause,
  restart,
  resume,
  unbounce,
  unsubscribe,
  updatePreferences
};
//# sourceMappingURL=preferences.js.map
