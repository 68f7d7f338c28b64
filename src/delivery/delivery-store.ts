import type {
  BounceSettle,
  ClaimedDelivery,
  ClaimOutcome,
  ClaimsFailed,
  ClaimsMade,
  DueCursor,
  DueSubscriber,
  LedgerEntry,
  NewClaim,
  PendingDelivery,
  RelayNote,
  SentSettle,
} from '../store/ledger-rows.ts';

export type {
  BounceSettle,
  ClaimedDelivery,
  ClaimOutcome,
  ClaimsFailed,
  ClaimsMade,
  DueCursor,
  DueSubscriber,
  LedgerEntry,
  NewClaim,
  PendingDelivery,
  RelayNote,
  SentSettle,
};

/**
 * What the dispatcher needs from the database, and nothing more: who is due, what each one has
 * had, and the delivery ledger's claim and settle steps. The Kysely implementation lives in
 * `src/store/deliveries.ts` (it matches this shape without importing it, so store never imports delivery).
 * Times are milliseconds since the epoch.
 */
export interface DeliveryStore {
  /** Active subscribers with next_send_at <= now, ordered by (next_send_at, id), after `after`. */
  dueSubscribers(now: number, after: DueCursor | undefined, limit: number): Promise<DueSubscriber[]>;
  /**
   * The due subscriber at `fraction` (0 to 1) of the due list's (next_send_at, id) order, as a
   * cursor to start a walk after; undefined when none is due.
   */
  dueCursorAt(now: number, fraction: number): Promise<DueCursor | undefined>;
  /** How many are due now (subscribers plus deliveries waiting for a retry), for a progress bar. */
  countDue(now: number, staleBefore: number): Promise<number>;
  /** The ledger rows of each subscriber's current cycle. */
  ledger(subscriberIds: readonly number[]): Promise<Map<number, LedgerEntry[]>>;
  /** Which of these address hashes are on the suppression list. */
  suppressed(emailHashes: readonly string[]): Promise<Set<string>>;
  /**
   * Claims each subscriber's next tip: moves next_send_at from `expectedNextSendAt` to
   * `nextSendAt` and inserts the ledger row in state 'sending'. A claim is lost (undefined, in
   * order) when another pass got there first (the subscriber changed, or the row exists). The
   * deliveries in `settles`, just sent, are settled in the same transaction (group commit: one
   * disk sync for all). When the database refuses the group, the settles are written on their
   * own and the outcome is `ClaimsFailed`: the error, and how many settles were saved (the caller
   * counts those as sent, then raises the error). It rejects only when nothing was saved. A
   * settle whose delivery is gone (its reader erased their data while the tip was in flight)
   * writes nothing and is not counted in `settled`.
   */
  claimMany(claims: readonly NewClaim[], settles: readonly SentSettle[]): Promise<ClaimOutcome>;
  /** Moves next_send_at without sending, if it still is `expected`; false if someone else moved it. */
  reschedule(subscriberId: number, expected: number, nextSendAt: number | null): Promise<boolean>;
  /** Deliveries to try again: state 'retry' due by `now`, or 'sending' claimed before `staleBefore` (a crashed pass). */
  pendingRetries(now: number, staleBefore: number, afterId: number, limit: number): Promise<PendingDelivery[]>;
  /**
   * Claims a pending delivery again; false when another pass claimed it first, or (a row left
   * 'sending') renewed its claim since it was read.
   */
  claimRetry(delivery: PendingDelivery, at: number): Promise<boolean>;
  /** Renews the claims of messages in flight: `claimed_at = at` where still 'sending' (see ClaimLease). */
  renewClaims(deliveryIds: readonly number[], at: number): Promise<void>;
  // Each settle below returns false, having written nothing, when the delivery is gone: its
  // reader erased their data while it was in flight.
  settleSent(settle: SentSettle): Promise<boolean>;
  settleRetry(deliveryId: number, at: number, response: string, nextAttemptAt: number): Promise<boolean>;
  /**
   * The relay failed, not the reader: the delivery goes back to 'retry', due at `at`, with the
   * claim's attempt taken back (a delivery never tried on the reader has 0 attempts, and its 72
   * hours start at its first real attempt). No attempt is recorded against the reader.
   */
  settleHandedBack(deliveryId: number, at: number, response: string): Promise<boolean>;
  /**
   * A delivery handed back at `attempts` is charged to its reader after all: one attempt more, a
   * temporary failure recorded, and 'retry' at `nextAttemptAt` (null: failed, 72 hours over).
   * False when the row is no longer as it was handed back (another sender took it).
   */
  chargeHandedBack(charge: {
    deliveryId: number;
    attempts: number;
    at: number;
    response: string;
    nextAttemptAt: number | null;
  }): Promise<boolean>;
  /** What `stats` and `/metrics` show of the relay, for every process on the database (see RelayNote). */
  noteRelayState(note: RelayNote): Promise<void>;
  /** Gives up: 'temporary' after 72 hours of retries, 'skipped' when the reader or the tip is gone. */
  settleFailed(deliveryId: number, at: number, response: string, outcome: 'temporary' | 'skipped'): Promise<boolean>;
  /**
   * A recipient refusal held by its pass (see RefusalHold): recorded as a permanent attempt, the
   * row back to 'retry' at `nextAttemptAt` until the pass's end decides whether it was the reader's.
   */
  settleRefused(deliveryId: number, at: number, response: string, nextAttemptAt: number): Promise<boolean>;
  /**
   * A permanent failure: the delivery and the subscriber are bounced, the address suppressed.
   * With `heldAttempts`, only if the row is still as the pass left it; false when it was not.
   */
  settleBounced(settle: BounceSettle): Promise<boolean>;
}
