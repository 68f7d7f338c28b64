import { randomBytes } from 'node:crypto';
import { nextDueAfterChange, sendClockFor } from '../series/cadence.ts';
import { canonicalZone } from '../series/zones.ts';
import { addressHash } from './address.ts';
import { eventFor, type SubscriptionEvent, type SubscriptionEventName } from './events.ts';
import { RETURNING } from './status.ts';
import type {
  ConfirmationRequest,
  NewSubscriber,
  Subscriber,
  SubscriberPatch,
  SubscriberStore,
  SuppressionReason,
} from './subscriber-store.ts';
import type { SubscriberStatus } from '../store/schema.ts';
import {
  createSystemMail,
  systemEmailFor,
  type SendOutcome,
  type SystemMail,
  type SystemMailDeps,
} from './system-mail.ts';
import { tokenLifetimeDays, verifyToken, type TokenCheck, type TokenPurpose } from './tokens.ts';
import { isValidZone } from './zones.ts';

const MINUTE = 60_000;
export const DAY = 86_400_000;
/** A pending address gets at most one confirmation email per this long. */
export const CONFIRM_RESEND_MS = 10 * MINUTE;
/**
 * …and at most this many in a rolling day, counted in the database (so across every site
 * process): a stranger typing someone's address every 10 minutes gets them 3 emails, not 144.
 */
export const CONFIRMATIONS_PER_DAY = 3;

/**
 * Suppressions a reader can lift themselves, through a new double opt-in: the ones they chose
 * (unsubscribed, erased), a bounce (a mailbox that works again: their click on the confirmation
 * link proves it) and a complaint (the same click is new consent). An operator's removal cannot.
 */
const READER_LIFTABLE: readonly SuppressionReason[] = ['unsubscribed', 'erased', 'bounced', 'complained'];

export interface SubscriptionDeps extends SystemMailDeps {
  /** Keys from before a rotation (NEWSLETTER_SECRET_PREVIOUS): links they signed still verify until they expire. */
  previousSecrets?: readonly string[];
  /** Told of every change (the service log); it must not throw, and a failure there changes nothing here. */
  onEvent?: (event: SubscriptionEvent) => void;
  /**
   * NEWSLETTER_CONFIRMATION_QUEUE: at most this many confirmations wait unsent (the relay is
   * down or slow); a sign-up beyond it is refused for now (`busy`), whoever asks. Unset: no bound.
   */
  confirmationQueueLimit?: number;
}

/** Where a confirmation came from, kept as the consent record of a returning reader. */
export interface ConsentSource {
  ip?: string | null;
  userAgent?: string | null;
  source: string;
}

/** An email queued by a change, to send now: the site does it after answering, the CLI before. */
export type SendNow = () => Promise<SendOutcome>;

export type TokenProblem = Extract<TokenCheck, { ok: false }>['reason'];

/** A signed link resolved to its subscriber, or why it cannot be. */
export type Resolved =
  { ok: true; subscriber: Subscriber; issuedAt: number } | { ok: false; problem: TokenProblem | 'unknown-subscriber' };

/** A new pending row with its consent record: what the reader gave (the name already checked), where and when. */
export function pendingRow(
  address: { email: string; normalized: string },
  input: { name: string | null; timezone?: unknown; source: string; ip?: string | null; userAgent?: string | null },
  at: number,
): NewSubscriber {
  return {
    publicId: randomBytes(16).toString('base64url'),
    email: address.email,
    emailNormalized: address.normalized,
    name: input.name,
    status: 'pending',
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
    confirmSentAt: null,
  };
}

/** What every subscription rule shares: the deps, the system mail, the event log and the cadence. */
export interface SubscriptionContext {
  deps: SubscriptionDeps;
  store: SubscriberStore;
  mail: SystemMail;
  emit: (...args: Parameters<typeof eventFor>) => void;
  /** When reader `s`'s next tip is due after a change at `now`. */
  dueFor: (s: Subscriber, now: Date) => number;
}

export function subscriptionContext(deps: SubscriptionDeps): SubscriptionContext {
  const { series } = deps;
  return {
    deps,
    store: deps.store,
    mail: createSystemMail(deps),
    emit(...args) {
      try {
        deps.onEvent?.(eventFor(...args));
      } catch {
        // The log is a witness, not a participant: the reader's change stands.
      }
    },
    // The same clock and cadence rules as the dispatcher's (schedule/cadence.ts).
    dueFor: (s, now) =>
      nextDueAfterChange(
        now,
        s.lastSentAt,
        sendClockFor(
          { timezone: s.timezone, sendTime: s.sendTime },
          { zone: deps.defaultTimezone, time: series.sendTime },
        ),
        series.cadenceDays,
      ).getTime(),
  };
}

/** Emits `event` when `changed` and passes `changed` on. */
export const noted =
  (ctx: SubscriptionContext, event: SubscriptionEventName, s: Subscriber) =>
  (changed: boolean): boolean => {
    if (changed) ctx.emit(event, s);
    return changed;
  };

/** `send` for an email the store queued (absent when nothing was queued). */
export const sendNow = (ctx: SubscriptionContext, queued: number | undefined, now: Date): { send?: SendNow } =>
  queued === undefined ? {} : { send: () => ctx.mail.sendQueued(queued, now) };

/**
 * The confirmation a sign-up asks for, and its rules: none queued in the last 10 minutes, at
 * most 3 in a rolling day. A reader who left (unsubscribed, bounced, complained) after the last
 * one is coming back, and that old link no longer works (it predates their leaving): they get a
 * fresh one at once, then the 10 minutes apply again.
 */
export function confirmationRequest(ctx: SubscriptionContext, s: Subscriber, now: Date): ConfirmationRequest {
  const at = now.getTime();
  const returning = RETURNING.includes(s.status) ? s.statusChangedAt + 1 : 0;
  return {
    lastAllowedBefore: Math.max(at - CONFIRM_RESEND_MS + 1, returning),
    most: CONFIRMATIONS_PER_DAY,
    since: at - DAY,
    email: systemEmailFor('confirm', s, at, ctx.deps.from),
  };
}

/** Whether the address is suppressed for a reason the reader cannot lift, and its hash. */
export async function liftable(
  ctx: SubscriptionContext,
  normalized: string,
): Promise<{ blocked: boolean; hash: string }> {
  const hash = addressHash(normalized);
  const suppressed = await ctx.store.suppression(hash);
  return { blocked: suppressed !== undefined && !READER_LIFTABLE.includes(suppressed.reason), hash };
}

export async function resolve(
  ctx: SubscriptionContext,
  token: unknown,
  purpose: TokenPurpose,
  now: Date,
): Promise<Resolved> {
  const check = verifyToken(ctx.deps, token, purpose, now);
  if (!check.ok) return { ok: false, problem: check.reason };
  const subscriber = await ctx.store.byPublicId(check.subject);
  if (!subscriber) return { ok: false, problem: 'unknown-subscriber' };
  return { ok: true, subscriber, issuedAt: check.expiresAt.getTime() - tokenLifetimeDays[purpose] * DAY };
}

/**
 * Makes the reader active, with the welcome queued in the same transaction (unless `welcome` is
 * false). A reader coming back (after unsubscribing, a bounce or a complaint) gives consent
 * anew: this confirmation is its record.
 */
export async function activate(
  ctx: SubscriptionContext,
  s: Subscriber,
  now: Date,
  from: SubscriberStatus,
  options: { consent?: ConsentSource | undefined; welcome: boolean },
): Promise<{ changed: boolean; queued?: number }> {
  const at = now.getTime();
  const { consent } = options;
  const renewed =
    RETURNING.includes(from) && consent
      ? {
          consentAt: at,
          consentIp: consent.ip?.slice(0, 64) ?? null,
          consentUserAgent: consent.userAgent?.slice(0, 300) ?? null,
          consentSource: consent.source,
        }
      : {};
  const patch: SubscriberPatch = {
    status: 'active',
    confirmedAt: at,
    statusChangedAt: at,
    nextSendAt: ctx.dueFor(s, now),
    ...renewed,
  };
  if (!options.welcome) return { changed: await ctx.store.update(s.id, patch, [from]) };
  return ctx.store.updateAndQueue(s.id, patch, [from], systemEmailFor('welcome', s, at, ctx.deps.from));
}
