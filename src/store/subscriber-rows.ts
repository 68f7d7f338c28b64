import type { Insertable, Updateable } from 'kysely';
import type { SubscriberStatus, SubscribersTable, SuppressionsTable, SystemEmailsTable } from './schema.ts';

/**
 * One reader as every layer above store/ sees them: the `subscribers` row in camelCase. The
 * mapping happens here, at the store boundary (reads alias the columns, writes go through
 * `subscriberColumns`), so no code outside store/ ever holds a snake_case row.
 */
export interface Subscriber {
  id: number;
  /** Random, opaque id used in signed links (never the address, never the row id). */
  publicId: string;
  /** As the reader typed it. */
  email: string;
  /** Lower-cased: addresses are unique case-insensitively. */
  emailNormalized: string;
  name: string | null;
  status: SubscriberStatus;
  /** IANA zone; null means NEWSLETTER_TIMEZONE. */
  timezone: string | null;
  /** Local `HH:MM`; null means the series' sendTime. */
  sendTime: string | null;
  consentAt: number | null;
  consentIp: string | null;
  consentUserAgent: string | null;
  /** Which form or tool: `web`, `import`, `cli`. */
  consentSource: string | null;
  createdAt: number;
  confirmedAt: number | null;
  statusChangedAt: number;
  /** When the next tip is due; null while not active. */
  nextSendAt: number | null;
  lastSentAt: number | null;
  /** Restarting the series starts a new cycle. */
  cycle: number;
  /** Last confirmation email queued, to send at most one per 10 minutes. */
  confirmSentAt: number | null;
}

/** A reader about to be inserted: the database gives the id and the first cycle. */
export type NewSubscriber = Omit<Subscriber, 'id' | 'cycle'>;
/** The fields the subscription rules change; ids and the address never change. */
export type SubscriberPatch = Partial<Omit<Subscriber, 'id' | 'publicId' | 'emailNormalized' | 'cycle'>>;

export type SuppressionReason = SuppressionsTable['reason'];
export interface Suppression {
  /** sha256 hex of the normalized address. */
  emailHash: string;
  reason: SuppressionReason;
  createdAt: number;
}

/** Each field a writer sets, and its column. */
export const subscriberColumns = {
  publicId: 'public_id',
  email: 'email',
  emailNormalized: 'email_normalized',
  name: 'name',
  status: 'status',
  timezone: 'timezone',
  sendTime: 'send_time',
  consentAt: 'consent_at',
  consentIp: 'consent_ip',
  consentUserAgent: 'consent_user_agent',
  consentSource: 'consent_source',
  createdAt: 'created_at',
  confirmedAt: 'confirmed_at',
  statusChangedAt: 'status_changed_at',
  nextSendAt: 'next_send_at',
  lastSentAt: 'last_sent_at',
  confirmSentAt: 'confirm_sent_at',
} as const satisfies Record<keyof NewSubscriber, keyof SubscribersTable>;

/** The select list that reads a row as a `Subscriber` (Kysely types the aliases). */
export const SUBSCRIBER = [
  'id',
  'public_id as publicId',
  'email',
  'email_normalized as emailNormalized',
  'name',
  'status',
  'timezone',
  'send_time as sendTime',
  'consent_at as consentAt',
  'consent_ip as consentIp',
  'consent_user_agent as consentUserAgent',
  'consent_source as consentSource',
  'created_at as createdAt',
  'confirmed_at as confirmedAt',
  'status_changed_at as statusChangedAt',
  'next_send_at as nextSendAt',
  'last_sent_at as lastSentAt',
  'cycle',
  'confirm_sent_at as confirmSentAt',
] as const;

/** A new reader as the row to insert. */
export function subscriberRow(s: NewSubscriber): Insertable<SubscribersTable> {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(subscriberColumns)) row[column] = s[field as keyof NewSubscriber];
  return row as Insertable<SubscribersTable>;
}

/** A patch as the columns to set: only the fields it has. */
export function subscriberUpdate(patch: SubscriberPatch): Updateable<SubscribersTable> {
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    // Only known fields: a stray key (a whole Subscriber spread in) must never name a column.
    const column = Object.hasOwn(subscriberColumns, field)
      ? subscriberColumns[field as keyof SubscriberPatch]
      : undefined;
    if (column && value !== undefined) set[column] = value;
  }
  return set as Updateable<SubscribersTable>;
}

/** What the subscription rules ask of a sign-up that wants a confirmation (see `signUp`). */
export interface ConfirmationRequest {
  /** The 10-minute rule: none may have been queued at or after this (ms). */
  lastAllowedBefore: number;
  /** The daily rule: at most `most` confirmations to this reader created after `since`. */
  most: number;
  since: number;
  email: NewSystemEmail;
}

/** The row as found (or made), and either the queued confirmation's id or why none was queued; neither when none was asked for. */
export interface SignUpResult {
  subscriber: Subscriber;
  created: boolean;
  queued?: number;
  refused?: 'recent' | 'daily-limit';
}

/** A confirmation, welcome or goodbye as it enters the queue. */
export interface NewSystemEmail {
  kind: SystemEmailsTable['kind'];
  messageId: string;
  /** When it was asked for (the confirmation's link is signed with this time). */
  at: number;
  /** When it is no longer worth sending. */
  expiresAt: number;
}

/** A queued email a sender has taken (its lease began at `claimedAt`), with its reader as they are now. */
export interface ClaimedSystemEmail {
  id: number;
  kind: SystemEmailsTable['kind'];
  messageId: string;
  createdAt: number;
  expiresAt: number | null;
  attempts: number;
  claimedAt: number;
  subscriber: Subscriber;
}
