import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';
import { isLocalTime } from '../content/local-time.ts';
import { MAX_NAME_LENGTH } from '../render/personalise.ts';
import type { SubscriberStatus } from '../store/schema.ts';
import type {
  ConfirmationRequest,
  NewSubscriber,
  Subscriber,
  SubscriberPatch,
  SubscriberStore,
  SuppressionReason,
} from './subscriber-store.ts';
import { addressHash, checkAddress } from './address.ts';
import { checkName } from './names.ts';
import { isSubscribed, RETURNING, SUBSCRIBED } from './status.ts';
import { nextDueAfterChange, sendClockFor } from '../series/cadence.ts';
import { canonicalZone } from '../series/zones.ts';
import { eventFor, type SubscriptionEvent, type SubscriptionEventName } from './events.ts';
import {
  createSystemMail,
  systemEmailFor,
  type DrainReport,
  type SendOutcome,
  type SystemMailDeps,
} from './system-mail.ts';
import { tokenLifetimeDays, verifyToken, type TokenCheck, type TokenPurpose } from './tokens.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A pending address gets at most one confirmation email per this long. */
export const CONFIRM_RESEND_MS = 10 * MINUTE;
/**
 * …and at most this many in a rolling day, counted in the database (so across every site
 * process): a stranger typing someone's address every 10 minutes gets them 3 emails, not 144.
 */
export const CONFIRMATIONS_PER_DAY = 3;
/** How long a sign-up refused because the confirmation queue is full is asked to wait. */
export const QUEUE_FULL_RETRY_AFTER_S = 300;
/** Pending subscribers who never confirm are erased after this long. */
export const PENDING_TTL_MS = 30 * DAY;

/**
 * Suppressions a reader can lift themselves, through a new double opt-in: the ones they chose
 * (unsubscribed, erased), a bounce (a mailbox that works again: their click on the confirmation
 * link proves it) and a complaint (the same click is new consent). An operator's removal cannot.
 */
const READER_LIFTABLE: readonly SuppressionReason[] = ['unsubscribed', 'erased', 'bounced', 'complained'];

/**
 * Erases pending subscribers who did not confirm within 30 days; returns how many. `newsletter
 * start` runs it on start; the scheduler runs it with each pass.
 */
export function purgeUnconfirmed(store: SubscriberStore, now: Date): Promise<number> {
  return store.purgePending(now.getTime() - PENDING_TTL_MS);
}

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

export interface SubscribeInput {
  email: unknown;
  name?: unknown;
  timezone?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  /** `web`, `cli`, `import`. */
  source: string;
}

/** Where a confirmation came from, kept as the consent record of a returning reader. */
export interface ConsentSource {
  ip?: string | null;
  userAgent?: string | null;
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

/** An email queued by a change, to send now: the site does it after answering, the CLI before. */
export type SendNow = () => Promise<SendOutcome>;

export type TokenProblem = Extract<TokenCheck, { ok: false }>['reason'];

/** A signed link resolved to its subscriber, or why it cannot be. */
export type Resolved =
  { ok: true; subscriber: Subscriber; issuedAt: number } | { ok: false; problem: TokenProblem | 'unknown-subscriber' };

export type PreferenceErrors = Partial<Record<'name' | 'timezone' | 'sendTime', string>>;

/** Zone names already checked: luxon's check builds an Intl formatter each time (~0.1 ms), an import asks a million times. */
const zoneChecks = new Map<string, boolean>();

export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length > 64) return false;
  let valid = zoneChecks.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: the web form lets strangers send any zone name.
    if (zoneChecks.size >= 2000) zoneChecks.clear();
    zoneChecks.set(zone, valid);
  }
  return valid;
}

/** A new pending row with its consent record: what the reader gave (the name already checked), where and when. */
function pendingRow(
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

/**
 * The opt-in, unsubscribe and preference rules. The site and the operator's commands call these;
 * they see a SubscriberStore and a Mailer, never SQL or SMTP. Every method takes `now`.
 * Confirmations, welcomes and goodbyes are queued with the change that calls for them (one
 * transaction); a change returns `send` to send its email now, which the site calls after
 * answering (a request never waits for SMTP, and its timing says nothing about the address)
 * and the CLI before printing. Whatever is not sent then, the scheduler's drain sends.
 */
export function createSubscriptions(deps: SubscriptionDeps) {
  const { store, series } = deps;
  const mail = createSystemMail(deps);
  const emit = (...args: Parameters<typeof eventFor>) => {
    try {
      deps.onEvent?.(eventFor(...args));
    } catch {
      // The log is a witness, not a participant: the reader's change stands.
    }
  };
  /** Emits `event` when `changed` and passes `changed` on. */
  const noted = (event: SubscriptionEventName, s: Subscriber) => (changed: boolean) => {
    if (changed) emit(event, s);
    return changed;
  };

  // The same clock and cadence rules as the dispatcher's (schedule/cadence.ts).
  const dueFor = (s: Subscriber, now: Date) =>
    nextDueAfterChange(
      now,
      s.lastSentAt,
      sendClockFor(
        { timezone: s.timezone, sendTime: s.sendTime },
        { zone: deps.defaultTimezone, time: series.sendTime },
      ),
      series.cadenceDays,
    ).getTime();

  /**
   * The confirmation a sign-up asks for, and its rules: none queued in the last 10 minutes, at
   * most 3 in a rolling day. A reader who left (unsubscribed, bounced, complained) after the last
   * one is coming back, and that old link no longer works (it predates their leaving): they get a
   * fresh one at once, then the 10 minutes apply again.
   */
  function confirmationRequest(s: Subscriber, now: Date): ConfirmationRequest {
    const at = now.getTime();
    const returning = RETURNING.includes(s.status) ? s.statusChangedAt + 1 : 0;
    return {
      lastAllowedBefore: Math.max(at - CONFIRM_RESEND_MS + 1, returning),
      most: CONFIRMATIONS_PER_DAY,
      since: at - DAY,
      email: systemEmailFor('confirm', s, at, deps.from),
    };
  }

  /** `send` for an email the store queued (absent when nothing was queued). */
  const sendNow = (queued: number | undefined, now: Date): { send?: SendNow } =>
    queued === undefined ? {} : { send: () => mail.sendQueued(queued, now) };

  async function liftable(normalized: string): Promise<{ blocked: boolean; hash: string }> {
    const hash = addressHash(normalized);
    const suppressed = await store.suppression(hash);
    return { blocked: suppressed !== undefined && !READER_LIFTABLE.includes(suppressed.reason), hash };
  }

  async function resolve(token: unknown, purpose: TokenPurpose, now: Date): Promise<Resolved> {
    const check = verifyToken(deps, token, purpose, now);
    if (!check.ok) return { ok: false, problem: check.reason };
    const subscriber = await store.byPublicId(check.subject);
    if (!subscriber) return { ok: false, problem: 'unknown-subscriber' };
    return { ok: true, subscriber, issuedAt: check.expiresAt.getTime() - tokenLifetimeDays[purpose] * DAY };
  }

  /**
   * Makes the reader active, with the welcome queued in the same transaction (unless `welcome` is
   * false). A reader coming back (after unsubscribing, a bounce or a complaint) gives consent
   * anew: this confirmation is its record.
   */
  async function activate(
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
      nextSendAt: dueFor(s, now),
      ...renewed,
    };
    if (!options.welcome) return { changed: await store.update(s.id, patch, [from]) };
    return store.updateAndQueue(s.id, patch, [from], systemEmailFor('welcome', s, at, deps.from));
  }

  let importDue: { at: number; byZone: Map<string, number> } = { at: Number.NaN, byZone: new Map() };

  return {
    resolve,

    /**
     * A reader asks to subscribe. Whether the address is new, pending, active or suppressed, the
     * caller gets the same `ok: true`; only an invalid address or name is an error, and a full
     * confirmation queue (`busy`, checked before anything about the address, so it says nothing
     * about it either). The confirmation is queued in the sign-up's transaction; `send` sends it.
     */
    async subscribe(
      input: SubscribeInput,
      now: Date,
    ): Promise<SubscribeRefusal | { ok: true; outcome: SubscribeOutcome; send?: SendNow }> {
      const address = checkAddress(input.email);
      if (!address.ok) return { ok: false, problem: 'email', reason: address.reason };
      const name = checkName(input.name);
      if (!name.ok) return { ok: false, problem: 'name', reason: name.reason };
      const limit = deps.confirmationQueueLimit;
      if (limit !== undefined && (await store.waitingConfirmations(limit)) >= limit) {
        return {
          ok: false,
          problem: 'busy',
          reason: `We are sending many confirmation emails right now. Please try again in ${QUEUE_FULL_RETRY_AFTER_S / 60} minutes.`,
          retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_S,
        };
      }
      const at = now.getTime();
      const { blocked } = await liftable(address.normalized);
      const answer = (outcome: SubscribeOutcome, s?: Subscriber) => {
        emit('subscribe', s ?? { emailNormalized: address.normalized }, { outcome, source: input.source });
        return { ok: true as const, outcome };
      };
      if (blocked) return answer('suppressed');
      // An existing row is never changed by a stranger's form: only a confirmation changes it.
      const wantsConfirmation = (s: Subscriber, created: boolean) =>
        created || s.status === 'pending' || RETURNING.includes(s.status);
      const r = await store.signUp(pendingRow(address, { ...input, name: name.name }, at), (s, created) =>
        wantsConfirmation(s, created) ? confirmationRequest(s, now) : undefined,
      );
      const s = r.subscriber;
      if (r.refused === 'recent') return answer('confirmation-recent', s);
      if (r.refused === 'daily-limit') return answer('confirmation-limit', s);
      if (r.queued === undefined) return answer(isSubscribed(s.status) ? 'already-subscribed' : 'not-mailable', s);
      return { ...answer('confirmation-sent', s), ...sendNow(r.queued, now) };
    },

    /**
     * The reader pressed the confirm button. Pending readers become active, with their welcome
     * queued in the same transaction; a reader who had unsubscribed comes back only with a link
     * issued after they left. Confirming twice is harmless: one welcome (the database allows no second).
     */
    async confirm(
      token: unknown,
      now: Date,
      consent?: ConsentSource,
    ): Promise<
      | { ok: false; problem: TokenProblem | 'unknown-subscriber' | 'stale' | 'not-mailable' }
      | { ok: true; subscriber: Subscriber; alreadyConfirmed: boolean; send?: SendNow }
    > {
      const r = await resolve(token, 'confirm', now);
      if (!r.ok) return r;
      let s = r.subscriber;
      let changed = false;
      let queued: number | undefined;
      if (s.status === 'pending' || RETURNING.includes(s.status)) {
        const { blocked, hash } = await liftable(s.emailNormalized);
        if (blocked) return { ok: false, problem: 'not-mailable' };
        // An old confirmation link must not undo a later unsubscribe, bounce or complaint (tokens carry seconds).
        if (s.status !== 'pending' && r.issuedAt + 1000 <= s.statusChangedAt) return { ok: false, problem: 'stale' };
        ({ changed, queued } = await activate(s, now, s.status, { consent, welcome: true }));
        if (changed) {
          await store.unsuppress(hash);
          emit('confirmed', s, { source: consent?.source ?? 'web' });
        }
        s = (await store.byPublicId(s.publicId)) ?? s;
      }
      if (!isSubscribed(s.status)) return { ok: false, problem: 'not-mailable' };
      return { ok: true, subscriber: s, alreadyConfirmed: !changed, ...sendNow(queued, now) };
    },

    /**
     * Unsubscribes at once; idempotent. `oneClick` is an RFC 8058 POST from a mail client: no
     * goodbye email then (the reader pressed a button in their inbox and expects silence).
     */
    async unsubscribe(
      s: Subscriber,
      now: Date,
      options: { oneClick: boolean },
    ): Promise<{ changed: boolean; send?: SendNow }> {
      const at = now.getTime();
      const patch: SubscriberPatch = { status: 'unsubscribed', statusChangedAt: at, nextSendAt: null };
      const from: SubscriberStatus[] = ['pending', ...SUBSCRIBED];
      // The goodbye is queued with the change, for a reader who pressed the page's button.
      const goodbye = !options.oneClick && s.status !== 'pending';
      const { changed, queued } = goodbye
        ? await store.updateAndQueue(s.id, patch, from, systemEmailFor('goodbye', s, at, deps.from))
        : { changed: await store.update(s.id, patch, from), queued: undefined };
      if (changed) {
        await store.suppress(addressHash(s.emailNormalized), 'unsubscribed', at);
        emit('unsubscribed', s, { oneClick: options.oneClick });
      }
      return { changed, ...sendNow(queued, now) };
    },

    /** Name, time zone and send time; the next tip moves with them for an active reader. */
    async updatePreferences(
      s: Subscriber,
      input: { name?: unknown; timezone?: unknown; sendTime?: unknown },
      now: Date,
    ): Promise<{ ok: true; subscriber: Subscriber } | { ok: false; errors: PreferenceErrors }> {
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
        if (!isValidZone(input.timezone))
          errors.timezone = 'Please choose a time zone from the list, like Europe/London.';
        else patch.timezone = canonicalZone(input.timezone);
      }
      if (input.sendTime !== undefined) {
        if (!isLocalTime(input.sendTime)) errors.sendTime = 'Please give a time like 19:00 (7 pm).';
        else patch.sendTime = input.sendTime;
      }
      if (Object.keys(errors).length) return { ok: false, errors };
      const next = { ...s, ...patch } as Subscriber;
      if (s.status === 'active') patch.nextSendAt = dueFor(next, now);
      await store.update(s.id, patch);
      emit('preferences', s);
      return { ok: true, subscriber: (await store.byPublicId(s.publicId)) ?? next };
    },

    /** Stops tips until the reader resumes; true when they were active. */
    async pause(s: Subscriber, now: Date): Promise<boolean> {
      return store
        .update(s.id, { status: 'paused', statusChangedAt: now.getTime(), nextSendAt: null }, ['active'])
        .then(noted('paused', s));
    },

    async resume(s: Subscriber, now: Date): Promise<boolean> {
      return store
        .update(s.id, { status: 'active', statusChangedAt: now.getTime(), nextSendAt: dueFor(s, now) }, ['paused'])
        .then(noted('resumed', s));
    },

    /** Starts the series again from week one: a new cycle, so every tip is due again. */
    async restart(s: Subscriber, now: Date): Promise<boolean> {
      if (!isSubscribed(s.status)) return false;
      return store
        .restartCycle(s.id, s.status === 'active' ? { nextSendAt: dueFor(s, now) } : {})
        .then(noted('restarted', s));
    },

    /** Everything stored about the reader, for "download my data" (no internal ids). */
    async exportData(s: Subscriber, now: Date) {
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const history = await store.history(s.id);
      return {
        newsletter: series.name,
        exportedAt: iso(now.getTime()),
        subscriber: {
          email: s.email,
          name: s.name,
          status: s.status,
          timezone: s.timezone,
          sendTime: s.sendTime,
          consent: {
            at: iso(s.consentAt),
            ip: s.consentIp,
            userAgent: s.consentUserAgent,
            source: s.consentSource,
          },
          createdAt: iso(s.createdAt),
          confirmedAt: iso(s.confirmedAt),
          statusChangedAt: iso(s.statusChangedAt),
          nextSendAt: iso(s.nextSendAt),
          lastSentAt: iso(s.lastSentAt),
          cycle: s.cycle,
          lastConfirmationSentAt: iso(s.confirmSentAt),
        },
        deliveries: history.deliveries.map((d) => ({
          tip: d.tipSlug,
          week: d.week,
          cycle: d.cycle,
          state: d.state,
          attempts: d.attempts,
          messageId: d.messageId,
          createdAt: iso(d.createdAt),
          sentAt: iso(d.sentAt),
          attemptLog: d.attemptLog.map((a) => ({ at: iso(a.at), outcome: a.outcome, response: a.response })),
        })),
        systemEmails: history.systemEmails.map((e) => ({
          kind: e.kind,
          state: e.state,
          messageId: e.messageId,
          createdAt: iso(e.createdAt),
          sentAt: iso(e.sentAt),
        })),
        // "Did this help?": the answers this reader gave, and their comments.
        feedback: history.feedback.map((f) => ({
          tip: f.tipSlug,
          answer: f.answer,
          comment: f.comment,
          answeredAt: iso(f.createdAt),
          changedAt: iso(f.updatedAt),
        })),
        bounces: history.bounces.map((b) => ({
          kind: b.kind,
          source: b.source,
          status: b.status,
          detail: b.detail,
          receivedAt: iso(b.receivedAt),
        })),
      };
    },

    /** Erases the reader, their deliveries and their feedback answers (foreign keys cascade); only the hash of the address stays, so nothing is sent to it again unasked. */
    async erase(s: Subscriber, now: Date, reason: SuppressionReason = 'erased'): Promise<void> {
      await store.suppress(addressHash(s.emailNormalized), reason, now.getTime());
      await store.remove(s.id);
      emit('erased', s, { outcome: reason });
    },

    /**
     * An operator returns a bounced reader to active (the mailbox works again): the suppression
     * goes, their soft-bounce count starts again, and `reason` is kept with the bounce history
     * and logged. Only a bounce: a complaint or an unsubscribe is the reader's own word.
     */
    async unbounce(s: Subscriber, reason: string, now: Date): Promise<boolean> {
      if (s.status !== 'bounced') return false;
      const at = now.getTime();
      const changed = await store.liftBounce(
        s.id,
        addressHash(s.emailNormalized),
        { status: 'active', statusChangedAt: at, nextSendAt: dueFor(s, now) },
        reason,
        at,
      );
      if (changed) emit('unbounced', s, { source: 'cli', reason });
      return changed;
    },

    /** Erases pending subscribers who did not confirm within 30 days; returns how many. */
    purgePending: async (now: Date) => {
      const count = await purgeUnconfirmed(store, now);
      if (count) emit('purged', undefined, { count });
      return count;
    },

    /**
     * Sends what waits in the queue of confirmations, welcomes and goodbyes (the relay was down or
     * slow when they were asked for); the scheduler calls it at every tick.
     */
    drainSystemEmails: (now: Date, options: { signal?: AbortSignal } = {}): Promise<DrainReport> =>
      mail.drain(now, options),

    /**
     * The row `subscribers import` writes for one reader: active at once (the operator vouches
     * for the consent), first tip due as for `add --confirmed`. Pure: the caller writes it.
     */
    importedRow(
      address: { email: string; normalized: string },
      input: { name?: unknown; timezone?: string },
      now: Date,
    ): NewSubscriber {
      const at = now.getTime();
      const row = pendingRow(
        address,
        { ...input, name: typeof input.name === 'string' ? input.name : null, source: 'import' },
        at,
      );
      // A new reader's first due time depends only on their zone: worked out once per zone.
      if (importDue.at !== at) importDue = { at, byZone: new Map() };
      const zone = row.timezone ?? '';
      let due = importDue.byZone.get(zone);
      if (due === undefined) {
        due = dueFor({ ...row, id: 0, cycle: 0 } as Subscriber, now);
        importDue.byZone.set(zone, due);
      }
      return { ...row, status: 'active', confirmedAt: at, nextSendAt: due };
    },

    /**
     * An operator adds one address: active at once with `confirmed` (their word for the consent),
     * otherwise pending with a confirmation email. Suppressed addresses are refused.
     */
    async add(
      input: {
        email: unknown;
        name?: unknown;
        timezone?: unknown;
        confirmed: boolean;
        source: string;
        welcome: boolean;
      },
      now: Date,
    ): Promise<
      | { ok: false; reason: string }
      | {
          ok: true;
          outcome: 'added' | 'exists' | 'suppressed';
          subscriber?: Subscriber;
          suppressedFor?: SuppressionReason;
          send?: SendNow;
        }
    > {
      const address = checkAddress(input.email);
      if (!address.ok) return address;
      const name = checkName(input.name);
      if (!name.ok) return { ok: false, reason: `the name: ${name.reason}` };
      if (
        input.timezone !== undefined &&
        input.timezone !== null &&
        input.timezone !== '' &&
        !isValidZone(input.timezone)
      ) {
        return {
          ok: false,
          reason: `unknown time zone "${String(input.timezone)}"; use an IANA name like Europe/London`,
        };
      }
      const suppression = await store.suppression(addressHash(address.normalized));
      if (suppression) return { ok: true, outcome: 'suppressed', suppressedFor: suppression.reason };
      const at = now.getTime();
      // Without --confirmed, the confirmation is queued in the insert's transaction.
      const r = await store.signUp(pendingRow(address, { ...input, name: name.name }, at), (s, created) =>
        created && !input.confirmed ? confirmationRequest(s, now) : undefined,
      );
      const { subscriber } = r;
      if (!r.created) return { ok: true, outcome: 'exists', subscriber };
      emit('added', subscriber, { source: input.source, outcome: input.confirmed ? 'active' : 'pending' });
      if (!input.confirmed) return { ok: true, outcome: 'added', subscriber, ...sendNow(r.queued, now) };
      const { queued } = await activate(subscriber, now, 'pending', { welcome: input.welcome });
      const active = (await store.byPublicId(subscriber.publicId)) ?? subscriber;
      return { ok: true, outcome: 'added', subscriber: active, ...sendNow(queued, now) };
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
