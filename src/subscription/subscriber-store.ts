import type { SubscriberStatus, SystemEmailsTable } from '../store/schema.ts';
import type { SubscriberHistory } from '../store/subscriber-history.ts';
import type {
  ClaimedSystemEmail,
  ConfirmationRequest,
  NewSubscriber,
  NewSystemEmail,
  SignUpResult,
  Subscriber,
  SubscriberPatch,
  Suppression,
  SuppressionReason,
} from '../store/subscriber-rows.ts';

export type {
  ClaimedSystemEmail,
  ConfirmationRequest,
  NewSubscriber,
  NewSystemEmail,
  SignUpResult,
  Subscriber,
  SubscriberHistory,
  SubscriberPatch,
  Suppression,
  SuppressionReason,
};

/**
 * The durable queue of confirmations, welcomes and goodbyes, as the system mail sees it. Rows
 * are put in by the subscriber store, in the transaction of the change that calls for them;
 * senders take them with a lease, so any number of processes send each one once. The Kysely
 * implementation lives in `src/store/system-email-queue.ts`.
 */
export interface SystemEmailQueue {
  /** Takes one queued email by id (the process that queued it sends it at once); undefined when another holds it or it is settled. */
  claimSystemEmail(id: number, now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined>;
  /** Takes the next queued email due by `now` whose lease (if any) began before `staleBefore`. */
  claimNextSystemEmail(now: number, staleBefore: number): Promise<ClaimedSystemEmail | undefined>;
  systemEmailSent(id: number, now: number): Promise<void>;
  /**
   * Back to the queue after a failed attempt, due again at `nextAttemptAt`. `counted` false: the
   * relay, not this email, failed (down, stalled), so the attempt is not counted against it.
   */
  systemEmailRetry(
    id: number,
    claimedAt: number,
    retry: { nextAttemptAt: number; error: string | null; counted: boolean },
  ): Promise<void>;
  /** Settled without sending: refused for good (`failed`), no longer wanted (`cancelled`) or too late (`expired`). */
  systemEmailSettled(
    id: number,
    claimedAt: number,
    state: 'failed' | 'cancelled' | 'expired',
    error: string | null,
  ): Promise<void>;
  /** Queued emails past their expiry become `expired`, unsent; returns how many, by kind. */
  expireSystemEmails(now: number): Promise<Partial<Record<SystemEmailsTable['kind'], number>>>;
  /** Unsent confirmations waiting in the queue, counted up to `cap` + 1 (enough to say "over the bound"). */
  waitingConfirmations(cap: number): Promise<number>;
}

/**
 * The subscriber list as the subscription rules and the operator's commands see it, in
 * camelCase. All SQL for subscribers and suppressions lives behind this interface; the Kysely
 * implementation is `createSubscriberStore` in `src/store/subscribers.ts` (it matches this shape
 * without importing it, so store never imports subscription), on SQLite and PostgreSQL alike.
 */
export interface SubscriberStore extends SystemEmailQueue {
  /** Resolves when the database answers and can take a write (the health check); throws otherwise. */
  ping(): Promise<void>;
  byEmail(normalized: string): Promise<Subscriber | undefined>;
  byPublicId(publicId: string): Promise<Subscriber | undefined>;
  /** Inserts unless the address is already there; `created` says which happened. */
  insert(row: NewSubscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  /**
   * Changes one subscriber, only while their status is one of `whenStatus` (any when omitted),
   * so two requests racing on one subscriber cannot both make the same transition.
   * True when the row changed.
   */
  update(id: number, patch: SubscriberPatch, whenStatus?: readonly SubscriberStatus[]): Promise<boolean>;
  /** Starts the series again: the next cycle, with the given next send time. */
  restartCycle(id: number, patch: SubscriberPatch): Promise<boolean>;
  /**
   * A sign-up, in one transaction: the row is inserted unless the address is there already
   * (`created` says which); `decide` (pure) says from the row as found whether a confirmation is
   * asked for, and under which rules. The confirmation is then queued in the same transaction as
   * its claim on the row (`confirmSentAt`), or refused: `recent` (one was queued at or after
   * `lastAllowedBefore`), `daily-limit` (`most` since `since` already).
   */
  signUp(
    row: NewSubscriber,
    decide: (subscriber: Subscriber, created: boolean) => ConfirmationRequest | undefined,
  ): Promise<SignUpResult>;
  /**
   * `update`, and when the row changed, `email` queued for them in the same transaction (a
   * welcome with the activation, a goodbye with the unsubscribe). `queued` is its id; absent
   * when the row did not change or the email may not go (a second welcome).
   */
  updateAndQueue(
    id: number,
    patch: SubscriberPatch,
    whenStatus: readonly SubscriberStatus[],
    email: NewSystemEmail,
  ): Promise<{ changed: boolean; queued?: number }>;
  /** Erases one subscriber; their deliveries and system emails go with them (foreign keys cascade). */
  remove(id: number): Promise<void>;
  /** Every subscriber, oldest first, read in pages so a long list never sits in memory at once. */
  list(filter?: { status?: SubscriberStatus }): AsyncIterable<Subscriber>;
  countByStatus(): Promise<Partial<Record<SubscriberStatus, number>>>;
  history(id: number): Promise<SubscriberHistory>;
  /** Deletes pending subscribers created before `createdBefore`; returns how many. */
  purgePending(createdBefore: number): Promise<number>;
  suppression(emailHash: string): Promise<Suppression | undefined>;
  /**
   * Puts an address hash on the suppression list. An existing entry keeps its reason, except
   * that `erased` replaces `unsubscribed` (the stronger wish wins; bounces and complaints stay).
   */
  suppress(emailHash: string, reason: SuppressionReason, now: number): Promise<void>;
  unsuppress(emailHash: string): Promise<void>;
  /**
   * Lifts a bounce in one transaction: the reader (only while bounced) gets `patch`, the 'bounced'
   * suppression goes, and a 'lifted' bounce event keeps `reason` (soft bounces count from it).
   */
  liftBounce(id: number, emailHash: string, patch: SubscriberPatch, reason: string, now: number): Promise<boolean>;
}
