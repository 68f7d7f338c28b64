import { addressHash, checkAddress } from './address.ts';
import {
  activate,
  confirmationRequest,
  liftable,
  pendingRow,
  resolve,
  sendNow,
  type ConsentSource,
  type SendNow,
  type SubscriptionContext,
  type TokenProblem,
} from './context.ts';
import { checkName } from './names.ts';
import { isSubscribed, RETURNING } from './status.ts';
import type { NewSubscriber, Subscriber, SuppressionReason } from './subscriber-store.ts';
import { isValidZone } from './zones.ts';

/** How long a sign-up refused because the confirmation queue is full is asked to wait. */
export const QUEUE_FULL_RETRY_AFTER_S = 300;

export interface SubscribeInput {
  email: unknown;
  name?: unknown;
  timezone?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  /** `web`, `cli`, `import`. */
  source: string;
}

/**
 * What happened, for logs and tests; the site answers the same whatever it is (no enumeration).
 * `confirmation-sent`: queued for sending (it goes at once, or when the relay is back);
 * `confirmation-recent`: one went in the last 10 minutes; `confirmation-limit`: 3 in the last day.
 */
export type SubscribeOutcome =
  | 'confirmation-sent'
  | 'confirmation-recent'
  | 'confirmation-limit'
  | 'already-subscribed'
  | 'suppressed'
  | 'not-mailable';

/** Why a sign-up was not taken: a bad address or name (the form says which), or a full confirmation queue (try later). */
export type SubscribeRefusal =
  | { ok: false; problem: 'email' | 'name'; reason: string }
  | { ok: false; problem: 'busy'; reason: string; retryAfterSeconds: number };

/** The full confirmation queue's refusal, or undefined when there is room (or no bound). */
async function queueFull(ctx: SubscriptionContext): Promise<SubscribeRefusal | undefined> {
  const limit = ctx.deps.confirmationQueueLimit;
  if (limit === undefined || (await ctx.store.waitingConfirmations(limit)) < limit) return undefined;
  return {
    ok: false,
    problem: 'busy',
    reason: `We are sending many confirmation emails right now. Please try again in ${QUEUE_FULL_RETRY_AFTER_S / 60} minutes.`,
    retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_S,
  };
}

/**
 * A reader asks to subscribe. Whether the address is new, pending, active or suppressed, the
 * caller gets the same `ok: true`; only an invalid address or name is an error, and a full
 * confirmation queue (`busy`, checked before anything about the address, so it says nothing
 * about it either). The confirmation is queued in the sign-up's transaction; `send` sends it.
 */
export async function subscribe(
  ctx: SubscriptionContext,
  input: SubscribeInput,
  now: Date,
): Promise<SubscribeRefusal | { ok: true; outcome: SubscribeOutcome; send?: SendNow }> {
  const address = checkAddress(input.email);
  if (!address.ok) return { ok: false, problem: 'email', reason: address.reason };
  const name = checkName(input.name);
  if (!name.ok) return { ok: false, problem: 'name', reason: name.reason };
  const busy = await queueFull(ctx);
  if (busy) return busy;
  const at = now.getTime();
  const { blocked } = await liftable(ctx, address.normalized);
  const answer = (outcome: SubscribeOutcome, s?: Subscriber) => {
    ctx.emit('subscribe', s ?? { emailNormalized: address.normalized }, { outcome, source: input.source });
    return { ok: true as const, outcome };
  };
  if (blocked) return answer('suppressed');
  // An existing row is never changed by a stranger's form: only a confirmation changes it.
  const wantsConfirmation = (s: Subscriber, created: boolean) =>
    created || s.status === 'pending' || RETURNING.includes(s.status);
  const r = await ctx.store.signUp(pendingRow(address, { ...input, name: name.name }, at), (s, created) =>
    wantsConfirmation(s, created) ? confirmationRequest(ctx, s, now) : undefined,
  );
  const s = r.subscriber;
  if (r.refused === 'recent') return answer('confirmation-recent', s);
  if (r.refused === 'daily-limit') return answer('confirmation-limit', s);
  if (r.queued === undefined) return answer(isSubscribed(s.status) ? 'already-subscribed' : 'not-mailable', s);
  return { ...answer('confirmation-sent', s), ...sendNow(ctx, r.queued, now) };
}

/**
 * The reader pressed the confirm button. Pending readers become active, with their welcome
 * queued in the same transaction; a reader who had unsubscribed comes back only with a link
 * issued after they left. Confirming twice is harmless: one welcome (the database allows no second).
 */
export async function confirm(
  ctx: SubscriptionContext,
  token: unknown,
  now: Date,
  consent?: ConsentSource,
): Promise<
  | { ok: false; problem: TokenProblem | 'unknown-subscriber' | 'stale' | 'not-mailable' }
  | { ok: true; subscriber: Subscriber; alreadyConfirmed: boolean; send?: SendNow }
> {
  const r = await resolve(ctx, token, 'confirm', now);
  if (!r.ok) return r;
  let s = r.subscriber;
  let changed = false;
  let queued: number | undefined;
  if (s.status === 'pending' || RETURNING.includes(s.status)) {
    const { blocked, hash } = await liftable(ctx, s.emailNormalized);
    if (blocked) return { ok: false, problem: 'not-mailable' };
    // An old confirmation link must not undo a later unsubscribe, bounce or complaint (tokens carry seconds).
    if (s.status !== 'pending' && r.issuedAt + 1000 <= s.statusChangedAt) return { ok: false, problem: 'stale' };
    ({ changed, queued } = await activate(ctx, s, now, s.status, { consent, welcome: true }));
    if (changed) {
      await ctx.store.unsuppress(hash);
      ctx.emit('confirmed', s, { source: consent?.source ?? 'web' });
    }
    s = (await ctx.store.byPublicId(s.publicId)) ?? s;
  }
  if (!isSubscribed(s.status)) return { ok: false, problem: 'not-mailable' };
  return { ok: true, subscriber: s, alreadyConfirmed: !changed, ...sendNow(ctx, queued, now) };
}

export interface AddInput {
  email: unknown;
  name?: unknown;
  timezone?: unknown;
  confirmed: boolean;
  source: string;
  welcome: boolean;
}

export type AddResult =
  | { ok: false; reason: string }
  | {
      ok: true;
      outcome: 'added' | 'exists' | 'suppressed';
      subscriber?: Subscriber;
      suppressedFor?: SuppressionReason;
      send?: SendNow;
    };

/** The address and name of an operator's `add`, checked; or why they cannot be taken. */
function checkAdd(input: AddInput) {
  const address = checkAddress(input.email);
  if (!address.ok) return address;
  const name = checkName(input.name);
  if (!name.ok) return { ok: false as const, reason: `the name: ${name.reason}` };
  const zone = input.timezone;
  if (zone !== undefined && zone !== null && zone !== '' && !isValidZone(zone)) {
    return {
      ok: false as const,
      reason: `unknown time zone "${String(zone)}"; use an IANA name like Europe/London`,
    };
  }
  return { ok: true as const, address, name: name.name };
}

/**
 * An operator adds one address: active at once with `confirmed` (their word for the consent),
 * otherwise pending with a confirmation email. Suppressed addresses are refused.
 */
export async function add(ctx: SubscriptionContext, input: AddInput, now: Date): Promise<AddResult> {
  const checked = checkAdd(input);
  if (!checked.ok) return checked;
  const { address } = checked;
  const suppression = await ctx.store.suppression(addressHash(address.normalized));
  if (suppression) return { ok: true, outcome: 'suppressed', suppressedFor: suppression.reason };
  const at = now.getTime();
  // Without --confirmed, the confirmation is queued in the insert's transaction.
  const r = await ctx.store.signUp(pendingRow(address, { ...input, name: checked.name }, at), (s, created) =>
    created && !input.confirmed ? confirmationRequest(ctx, s, now) : undefined,
  );
  const { subscriber } = r;
  if (!r.created) return { ok: true, outcome: 'exists', subscriber };
  ctx.emit('added', subscriber, { source: input.source, outcome: input.confirmed ? 'active' : 'pending' });
  if (!input.confirmed) return { ok: true, outcome: 'added', subscriber, ...sendNow(ctx, r.queued, now) };
  const { queued } = await activate(ctx, subscriber, now, 'pending', { welcome: input.welcome });
  const active = (await ctx.store.byPublicId(subscriber.publicId)) ?? subscriber;
  return { ok: true, outcome: 'added', subscriber: active, ...sendNow(ctx, queued, now) };
}

/**
 * The row `subscribers import` writes for one reader: active at once (the operator vouches
 * for the consent), first tip due as for `add --confirmed`. Pure: the caller writes it. A new
 * reader's first due time depends only on their zone: worked out once per zone and `now`.
 */
export function importedRows(ctx: SubscriptionContext) {
  let importDue: { at: number; byZone: Map<string, number> } = { at: Number.NaN, byZone: new Map() };
  return (
    address: { email: string; normalized: string },
    input: { name?: unknown; timezone?: string },
    now: Date,
  ): NewSubscriber => {
    const at = now.getTime();
    const row = pendingRow(
      address,
      { ...input, name: typeof input.name === 'string' ? input.name : null, source: 'import' },
      at,
    );
    if (importDue.at !== at) importDue = { at, byZone: new Map() };
    const zone = row.timezone ?? '';
    let due = importDue.byZone.get(zone);
    if (due === undefined) {
      due = ctx.dueFor({ ...row, id: 0, cycle: 0 }, now);
      importDue.byZone.set(zone, due);
    }
    return { ...row, status: 'active', confirmedAt: at, nextSendAt: due };
  };
}
