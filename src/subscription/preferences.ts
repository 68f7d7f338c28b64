import { isLocalTime } from '../content/local-time.ts';
import { MAX_NAME_LENGTH } from '../render/personalise.ts';
import { canonicalZone } from '../series/zones.ts';
import type { SubscriberStatus } from '../store/schema.ts';
import { addressHash } from './address.ts';
import { noted, sendNow, type SendNow, type SubscriptionContext } from './context.ts';
import { checkName } from './names.ts';
import { isSubscribed, SUBSCRIBED } from './status.ts';
import type { Subscriber, SubscriberPatch } from './subscriber-store.ts';
import { systemEmailFor } from './system-mail.ts';
import { isValidZone } from './zones.ts';

export type PreferenceErrors = Partial<Record<'name' | 'timezone' | 'sendTime', string>>;

/**
 * Unsubscribes at once; idempotent. `oneClick` is an RFC 8058 POST from a mail client: no
 * goodbye email then (the reader pressed a button in their inbox and expects silence).
 */
export async function unsubscribe(
  ctx: SubscriptionContext,
  s: Subscriber,
  now: Date,
  options: { oneClick: boolean },
): Promise<{ changed: boolean; send?: SendNow }> {
  const { store } = ctx;
  const at = now.getTime();
  const patch: SubscriberPatch = { status: 'unsubscribed', statusChangedAt: at, nextSendAt: null };
  const from: SubscriberStatus[] = ['pending', ...SUBSCRIBED];
  // The goodbye is queued with the change, for a reader who pressed the page's button.
  const goodbye = !options.oneClick && s.status !== 'pending';
  const { changed, queued } = goodbye
    ? await store.updateAndQueue(s.id, patch, from, systemEmailFor('goodbye', s, at, ctx.deps.from))
    : { changed: await store.update(s.id, patch, from), queued: undefined };
  if (changed) {
    await store.suppress(addressHash(s.emailNormalized), 'unsubscribed', at);
    ctx.emit('unsubscribed', s, { oneClick: options.oneClick });
  }
  return { changed, ...sendNow(ctx, queued, now) };
}

/** The form's name, time zone and send time as a patch, or what is wrong with them. */
function preferencePatch(input: { name?: unknown; timezone?: unknown; sendTime?: unknown }): {
  patch: SubscriberPatch;
  errors: PreferenceErrors;
} {
  const errors: PreferenceErrors = {};
  const patch: SubscriberPatch = {};
  if (input.name !== undefined) {
    const name = checkName(input.name);
    if (typeof input.name !== 'string' || input.name.trim().length > MAX_NAME_LENGTH)
      errors.name = `Please use at most ${MAX_NAME_LENGTH} characters for your name.`;
    else if (!name.ok) errors.name = name.reason;
    else patch.name = name.name;
  }
  if (input.timezone !== undefined) {
    if (!isValidZone(input.timezone)) errors.timezone = 'Please choose a time zone from the list, like Europe/London.';
    else patch.timezone = canonicalZone(input.timezone);
  }
  if (input.sendTime !== undefined) {
    if (!isLocalTime(input.sendTime)) errors.sendTime = 'Please give a time like 19:00 (7 pm).';
    else patch.sendTime = input.sendTime;
  }
  return { patch, errors };
}

/** Name, time zone and send time; the next tip moves with them for an active reader. */
export async function updatePreferences(
  ctx: SubscriptionContext,
  s: Subscriber,
  input: { name?: unknown; timezone?: unknown; sendTime?: unknown },
  now: Date,
): Promise<{ ok: true; subscriber: Subscriber } | { ok: false; errors: PreferenceErrors }> {
  const { patch, errors } = preferencePatch(input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const next: Subscriber = { ...s, ...patch };
  if (s.status === 'active') patch.nextSendAt = ctx.dueFor(next, now);
  await ctx.store.update(s.id, patch);
  ctx.emit('preferences', s);
  return { ok: true, subscriber: (await ctx.store.byPublicId(s.publicId)) ?? next };
}

/** Stops tips until the reader resumes; true when they were active. */
export function pause(ctx: SubscriptionContext, s: Subscriber, now: Date): Promise<boolean> {
  return ctx.store
    .update(s.id, { status: 'paused', statusChangedAt: now.getTime(), nextSendAt: null }, ['active'])
    .then(noted(ctx, 'paused', s));
}

export function resume(ctx: SubscriptionContext, s: Subscriber, now: Date): Promise<boolean> {
  return ctx.store
    .update(s.id, { status: 'active', statusChangedAt: now.getTime(), nextSendAt: ctx.dueFor(s, now) }, ['paused'])
    .then(noted(ctx, 'resumed', s));
}

/** Starts the series again from week one: a new cycle, so every tip is due again. */
export async function restart(ctx: SubscriptionContext, s: Subscriber, now: Date): Promise<boolean> {
  if (!isSubscribed(s.status)) return false;
  return ctx.store
    .restartCycle(s.id, s.status === 'active' ? { nextSendAt: ctx.dueFor(s, now) } : {})
    .then(noted(ctx, 'restarted', s));
}

/**
 * An operator returns a bounced reader to active (the mailbox works again): the suppression
 * goes, their soft-bounce count starts again, and `reason` is kept with the bounce history
 * and logged. Only a bounce: a complaint or an unsubscribe is the reader's own word.
 */
export async function unbounce(ctx: SubscriptionContext, s: Subscriber, reason: string, now: Date): Promise<boolean> {
  if (s.status !== 'bounced') return false;
  const at = now.getTime();
  const changed = await ctx.store.liftBounce(
    s.id,
    addressHash(s.emailNormalized),
    { status: 'active', statusChangedAt: at, nextSendAt: ctx.dueFor(s, now) },
    reason,
    at,
  );
  if (changed) ctx.emit('unbounced', s, { source: 'cli', reason });
  return changed;
}
