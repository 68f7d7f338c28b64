import type { Series } from '../content/index.ts';
import { listIdFor, stableMessageId } from '../mailer/headers.ts';
import { SendError, type Mailer, type OutgoingMessage } from '../mailer/mailer.ts';
import { encodeParts } from '../mailer/quoted-printable.ts';
import { withoutAddresses } from '../redact.ts';
import type { CompiledEmail, Renderer, SystemEmail } from '../render/index.ts';
import type { ClaimedSystemEmail, NewSystemEmail } from './subscriber-store.ts';
import type { Subscriber, SubscriberStore } from './subscriber-store.ts';
import { describeLocalTime } from '../content/local-time.ts';
import { subscriberLinks, type SubscriberLinks } from './links.ts';
import { greetingName } from './names.ts';
import { RETURNING, SUBSCRIBED } from './status.ts';
import { tokenLifetimeDays } from './tokens.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What the welcome says about the first tip: the same date and wording as the confirm page. */
export function firstTipSentence(
  s: Pick<Subscriber, 'status' | 'nextSendAt' | 'timezone'>,
  defaultTimezone: string,
): string {
  if (s.status === 'active' && s.nextSendAt !== null)
    return `Your first tip arrives on ${describeLocalTime(s.nextSendAt, s.timezone ?? defaultTimezone)}.`;
  return 'Your tips are paused: resume them from your preferences and the first one follows at your next send time.';
}

export interface SystemMailDeps {
  store: SubscriberStore;
  mailer: Mailer;
  renderer: Renderer;
  series: Series;
  baseUrl: string;
  secret: string;
  /** `Name <address>`: NEWSLETTER_FROM, or the series' sender. */
  from: string;
  /** NEWSLETTER_TIMEZONE: the zone of readers who gave none (the welcome names the first tip's time in it). */
  defaultTimezone: string;
  /**
   * The envelope sender for the email queued as `systemEmailId` (VERP, when
   * NEWSLETTER_BOUNCE_ADDRESS is set), so its bounce names the reader as a tip's does.
   */
  returnPath?: (systemEmailId: number, now: Date) => string;
}

/**
 * How long each kind is worth sending. A confirmation lives as long as its link (signed when it
 * was asked for): an unsent one past that is `expired`, never sent, and its reader stays pending
 * until they sign up again or the 30-day purge erases them. A welcome or goodbye later than
 * three days would puzzle more than help.
 */
export const SYSTEM_EMAIL_LIFETIME_MS: Record<SystemEmail, number> = {
  confirm: tokenLifetimeDays.confirm * 24 * HOUR,
  welcome: 72 * HOUR,
  goodbye: 72 * HOUR,
};

/**
 * A sender's claim on a queued email lasts this long; after it, another sender may take the
 * email (the first one died). It outlasts one SMTP conversation under RFC 5321's time-outs
 * (5 minutes a command, 10 for the final dot), so a slow relay is never mistaken for a dead
 * sender and the email is not sent twice.
 */
export const SYSTEM_EMAIL_LEASE_MS = 30 * MINUTE;

/** After the n-th failure of this email (not the relay's) it is tried again this much later; then hourly. */
const RETRY_DELAYS_MS = [5, 15, 30, 60].map((m) => m * MINUTE);

/** The queue row for `kind` to reader `s`, asked for at `at`. Confirmations and goodbyes get a Message-ID per request, the welcome one for good. */
export function systemEmailFor(
  kind: SystemEmail,
  s: Pick<Subscriber, 'publicId'>,
  at: number,
  from: string,
): NewSystemEmail {
  const messageId = stableMessageId(kind === 'welcome' ? ['welcome', s.publicId] : [kind, s.publicId, at], from);
  return { kind, messageId, at, expiresAt: at + SYSTEM_EMAIL_LIFETIME_MS[kind] };
}

/**
 * A failure of the relay rather than of this email: it cannot be reached, refuses everyone,
 * drops or times out the connection, or says it is closing (421). It spends no attempt of the
 * email, and a drain stops at the first one: the next tick tries again, whatever the outage's
 * length, so the email goes at the first tick after the relay is back.
 */
function isRelayFailure(e: unknown): boolean {
  if (!(e instanceof SendError)) return true;
  return e.kind === 'unavailable' || e.connection || /^421\b/.test(e.response);
}

const reasonOf = (e: unknown) => withoutAddresses(e instanceof Error ? e.message : String(e)).slice(0, 500);

/** What became of one attempt at a queued email. */
export type SendOutcome =
  | { outcome: 'sent' }
  /** Another sender holds it, it was settled meanwhile, or its reader is gone. */
  | { outcome: 'taken' }
  /** Its reader moved on (confirmed through another link, left, came back): not sent. */
  | { outcome: 'cancelled' }
  /** Past its expiry: not sent. */
  | { outcome: 'expired' }
  /** The server refused the address for good. */
  | { outcome: 'failed'; reason: string }
  /** It stays queued: the relay failed (`relay`), or this email did and is tried again at `retryAt`. */
  | { outcome: 'queued'; reason: string; relay: boolean; retryAt: number };

export interface DrainReport {
  sent: number;
  /** Failed this time and still queued for a later try. */
  retrying: number;
  /** Refused for good by the server. */
  failed: number;
  cancelled: number;
  /** Given up unsent because they passed their expiry, by kind. */
  expired: Partial<Record<SystemEmail, number>>;
  /** Why the drain stopped before the queue was empty (the relay failed); absent when it ran out of due emails. */
  stopped?: string;
}

/** Renders and sends one claimed email to its reader as they are now. */
async function deliver(deps: SystemMailDeps, e: ClaimedSystemEmail, now: Date): Promise<void> {
  const kind = e.kind;
  const s = e.subscriber;
  const compiled = await deps.renderer.compileSystem(kind);
  // A confirmation's links are signed when it was asked for: its link expires with the queue row.
  const links = subscriberLinks(
    deps.baseUrl,
    deps.secret,
    s.publicId,
    kind === 'confirm' ? new Date(e.createdAt) : now,
  );
  await deps.mailer.send(
    composeSystemMessage(deps, compiled, {
      email: s.email,
      name: greetingName(kind, s.name),
      links,
      messageId: e.messageId,
      ...(kind === 'welcome' ? { firstTip: firstTipSentence(s, deps.defaultTimezone) } : {}),
      ...(deps.returnPath ? { returnPath: deps.returnPath(e.id, now) } : {}),
    }),
  );
}

/** One system email's reader, links and ids, as `composeSystemMessage` needs them. */
export interface SystemMessageFor {
  email: string;
  /** The greeting's name (see greetingName), or null. */
  name: string | null;
  links: SubscriberLinks;
  messageId: string;
  /** The welcome's sentence on the first tip. */
  firstTip?: string;
  returnPath?: string;
}

/**
 * A compiled system email filled in for one reader, with its headers: what a drain sends, and
 * what `check --spam` scores.
 */
export function composeSystemMessage(
  deps: Pick<SystemMailDeps, 'renderer' | 'from' | 'series'>,
  compiled: CompiledEmail,
  to: SystemMessageFor,
): OutgoingMessage {
  const finished = deps.renderer.personaliseParts(compiled, {
    name: to.name,
    ...to.links,
    ...(to.firstTip ? { firstTip: to.firstTip } : {}),
  });
  return {
    to: to.email,
    toName: to.name,
    from: deps.from,
    subject: finished.subject,
    encoded: encodeParts(finished),
    messageId: to.messageId,
    ...(to.returnPath ? { returnPath: to.returnPath } : {}),
    ...(compiled.listMail
      ? { unsubscribeUrl: to.links.unsubscribeUrl, listId: listIdFor(deps.series.name, deps.from) }
      : {}),
  };
}

/** Whether the email still makes sense for the reader as they are now. */
function wanted(e: ClaimedSystemEmail): boolean {
  const s = e.subscriber;
  if (e.kind === 'welcome') return SUBSCRIBED.includes(s.status);
  if (e.kind === 'goodbye') return s.status === 'unsubscribed';
  // A confirmation: still pending, or a reader who had left and asked to come back after leaving.
  return s.status === 'pending' || (RETURNING.includes(s.status) && s.statusChangedAt <= e.createdAt);
}

/**
 * Sends the confirmation, welcome and goodbye emails from their queue (`system_emails`). The
 * rows are queued with the change that calls for them (see SubscriberStore.signUp and
 * updateAndQueue); this takes them with a lease and sends them: at once from the process that
 * queued one (`sendQueued`), and in every scheduler tick (`drain`), until each is sent, refused
 * for good or expired. Nothing here makes a request wait for SMTP: the caller decides whether to.
 */
export function createSystemMail(deps: SystemMailDeps) {
  const { store } = deps;

  /** One attempt at a claimed email, settled in the queue whatever happens. */
  async function attempt(e: ClaimedSystemEmail, now: Date): Promise<SendOutcome> {
    const at = now.getTime();
    if (e.expiresAt !== null && e.expiresAt <= at) {
      await store.systemEmailSettled(e.id, e.claimedAt, 'expired', null);
      return { outcome: 'expired' };
    }
    if (!wanted(e)) {
      await store.systemEmailSettled(e.id, e.claimedAt, 'cancelled', null);
      return { outcome: 'cancelled' };
    }
    try {
      await deliver(deps, e, now);
    } catch (error) {
      const reason = reasonOf(error);
      if (error instanceof SendError && error.kind === 'permanent') {
        await store.systemEmailSettled(e.id, e.claimedAt, 'failed', reason);
        return { outcome: 'failed', reason };
      }
      const relay = isRelayFailure(error);
      const retryAt = relay ? at : at + RETRY_DELAYS_MS[Math.min(e.attempts, RETRY_DELAYS_MS.length - 1)]!;
      await store.systemEmailRetry(e.id, e.claimedAt, { nextAttemptAt: retryAt, error: reason, counted: !relay });
      return { outcome: 'queued', reason, relay, retryAt };
    }
    await store.systemEmailSent(e.id, at);
    return { outcome: 'sent' };
  }

  /**
   * Sends one queued email now (the process that queued it, right after the request): claimed
   * first, so a scheduler tick in another process never sends it as well.
   */
  async function sendQueued(id: number, now: Date): Promise<SendOutcome> {
    const at = now.getTime();
    const claimed = await store.claimSystemEmail(id, at, at - SYSTEM_EMAIL_LEASE_MS);
    if (!claimed) return { outcome: 'taken' };
    return attempt(claimed, now);
  }

  /**
   * Every queued email that is due, as many at a time as the mailer carries, until none is left
   * or the relay fails (the rest wait for the next tick, their attempts unspent). Emails past
   * their expiry are marked expired first. `signal` (the scheduler stopping) ends it after the
   * sends in flight.
   */
  async function drain(now: Date, options: { signal?: AbortSignal } = {}): Promise<DrainReport> {
    const at = now.getTime();
    const report: DrainReport = {
      sent: 0,
      retrying: 0,
      failed: 0,
      cancelled: 0,
      expired: await store.expireSystemEmails(at),
    };
    const worker = async () => {
      while (!report.stopped && !options.signal?.aborted) {
        const claimed = await store.claimNextSystemEmail(at, at - SYSTEM_EMAIL_LEASE_MS);
        if (!claimed) return;
        const r = await attempt(claimed, now);
        if (r.outcome === 'sent') report.sent++;
        else if (r.outcome === 'failed') report.failed++;
        else if (r.outcome === 'cancelled') report.cancelled++;
        else if (r.outcome === 'expired') report.expired[claimed.kind] = (report.expired[claimed.kind] ?? 0) + 1;
        else if (r.outcome === 'queued') {
          report.retrying++;
          if (r.relay) report.stopped ??= r.reason;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.mailer.concurrency) }, worker));
    return report;
  }

  return { sendQueued, drain };
}

export type SystemMail = ReturnType<typeof createSystemMail>;
