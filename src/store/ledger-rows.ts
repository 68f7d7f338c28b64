import type { DeliveryState, SubscriberStatus } from './schema.ts';

/** The rows the delivery ledger reads and writes; times are milliseconds since the epoch. */

export interface DueCursor {
  nextSendAt: number;
  id: number;
}

export interface DueSubscriber {
  id: number;
  publicId: string;
  email: string;
  name: string | null;
  timezone: string | null;
  sendTime: string | null;
  cycle: number;
  nextSendAt: number;
  lastSentAt: number | null;
}

export interface LedgerEntry {
  slug: string;
  state: DeliveryState;
}

export interface NewClaim {
  subscriberId: number;
  cycle: number;
  expectedNextSendAt: number;
  nextSendAt: number;
  slug: string;
  week: number;
  messageId: string;
  at: number;
}

export interface ClaimedDelivery {
  id: number;
  attempts: number;
  createdAt: number;
}

/** A group commit that went through: each claim won (the delivery) or lost, and how many settles found their row. */
export interface ClaimsMade {
  claimed: (ClaimedDelivery | undefined)[];
  /** Settles written; the others' deliveries were gone (their readers erased their data meanwhile). */
  settled: number;
}

/**
 * A group commit the database refused (`failed`, its error): no claim was made, and the settles
 * that rode in it were then written on their own, `settled` of them.
 */
export interface ClaimsFailed {
  failed: unknown;
  settled: number;
}

/** What `claimMany` did; `'failed' in outcome` tells them apart. */
export type ClaimOutcome = ClaimsMade | ClaimsFailed;

export interface PendingDelivery {
  id: number;
  slug: string;
  week: number;
  cycle: number;
  state: 'retry' | 'sending';
  attempts: number;
  messageId: string;
  createdAt: number;
  claimedAt: number | null;
  subscriber: {
    id: number;
    publicId: string;
    email: string;
    name: string | null;
    status: SubscriberStatus;
    cycle: number;
    timezone: string | null;
    sendTime: string | null;
  };
}

export interface SentSettle {
  deliveryId: number;
  subscriberId: number;
  at: number;
  response: string;
  /** The subscriber's next send time (applied only while they are active). */
  nextSendAt: number;
  /**
   * The fingerprint of the text the message carried (content/fingerprint.ts), kept in the ledger
   * for the corrections; the dispatcher always gives it (absent: unknown, stored as null).
   */
  fingerprint?: string;
}

export interface BounceSettle {
  deliveryId: number;
  subscriberId: number;
  /** sha256 hex of the lower-cased address, for the suppression list. */
  emailHash: string;
  at: number;
  response: string;
  /**
   * A refusal held by its pass and confirmed at the pass's end: bounce only if the row is still
   * the 'retry' the pass left, at this attempt count (no other sender has taken it since).
   */
  heldAttempts?: number;
}

/**
 * One pass's news about the relay, with no address in it: its last connection failure, and why
 * it stopped early (`cause` a short name such as `relay_temporary`), if it did.
 */
export interface RelayNote {
  connectionFailure?: { at: number; what: string };
  stopped?: { cause: string; at: number; why: string };
}
