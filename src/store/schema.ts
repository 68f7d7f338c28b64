import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Times are integers (milliseconds since the epoch, UTC) so
 * SQLite and PostgreSQL (bigint) compare and index them the same way.
 */
export interface Database {
  subscribers: SubscribersTable;
  suppressions: SuppressionsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  system_emails: SystemEmailsTable;
  rate_limits: RateLimitsTable;
  senders: SendersTable;
  feedback: FeedbackTable;
  bounce_events: BounceEventsTable;
  webhook_tokens: WebhookTokensTable;
  relay_state: RelayStateTable;
  correction_deliveries: CorrectionDeliveriesTable;
  guard_events: GuardEventsTable;
  mx_cache: MxCacheTable;
  site_state: SiteStateTable;
  site_buckets: SiteBucketsTable;
  site_leases: SiteLeasesTable;
  warmup_days: WarmupDaysTable;
}

/** The complaint and bounce guard's changes (migration 009): the newest row is its state. */
export interface GuardEventsTable {
  /** 1, 2, 3…: a change is written only as the number after the newest (see the migration). */
  seq: number;
  kind: 'paused' | 'released';
  at: number;
  /** Why: the rate that crossed its line, or the operator's reason for lifting the pause. */
  reason: string;
}

/** A recipient domain's MX hosts and their site, until expires_at (migration 010). */
export interface MxCacheTable {
  domain: string;
  site: string;
  /** The MX hosts, lowest preference first, space-separated; '' when the domain has none or the lookup failed. */
  mx: string;
  expires_at: number;
}

/** A provider site's deferral reflex and counters (migration 010). */
export interface SiteStateTable {
  site: string;
  suspended_until: Generated<number>;
  /** Index into the back-off ladder of the last suspension; -1 before any. */
  level: Generated<number>;
  reason: Generated<string>;
  suspended_at: Generated<number>;
  sent: Generated<number>;
  deferred: Generated<number>;
  /** Step of the refusal ladder of the last policy refusal (migration 012); -1 before any. */
  refusal_level: Generated<number>;
}

/** A site's GCRA token bucket on PostgreSQL: its theoretical arrival time (migration 010). */
export interface SiteBucketsTable {
  site: string;
  tat: number;
}

/** One of a site's connection slots, fleet-wide on PostgreSQL (migration 011). */
export interface SiteLeasesTable {
  site: string;
  slot: number;
  /** The sender process holding it; null when free. */
  holder: string | null;
  /** Until when the holder has it (the database's clock, ms since the epoch), unless renewed. */
  expires_at: Generated<number>;
}

/** New tips sent on each warm-up day (day 1 = warmup.start), fleet-wide (migration 010). */
export interface WarmupDaysTable {
  day: number;
  used: number;
}

/** What the senders met of the relay (migration 006): one row per kind and cause, no addresses. */
export interface RelayStateTable {
  /** `connection_failure` or `pass_stopped`. */
  kind: string;
  /** Why a pass stopped (`relay_temporary`, …); '' for a connection failure. */
  cause: string;
  /** Passes that met it. */
  count: number;
  last_at: number;
  last_detail: string;
}

export type BounceEventKind = 'hard' | 'soft' | 'complaint' | 'lifted';
export type BounceEventSource = 'dsn' | 'plain-text' | 'arf' | 'postmark' | 'mailgun' | 'operator';

/** A bounce, complaint or lifted bounce that reached us after the SMTP conversation. */
export interface BounceEventsTable {
  id: Generated<number>;
  subscriber_id: number;
  /** The tip delivery it was about, when the report names it. */
  delivery_id: number | null;
  kind: BounceEventKind;
  source: BounceEventSource;
  /** Enhanced status code (`5.1.1`), the ESP's type, or the ARF feedback type. */
  status: string | null;
  /** The diagnostic, addresses masked; for 'lifted', the operator's reason. */
  detail: string | null;
  /** Unique per report and reader: the same report applied twice counts once. */
  event_key: string;
  received_at: number;
}

/** Mailgun webhook tokens seen within the signature window (replay protection). */
export interface WebhookTokensTable {
  token: string;
  seen_at: number;
}

export type SubscriberStatus = 'pending' | 'active' | 'paused' | 'unsubscribed' | 'bounced' | 'complained';

export interface SubscribersTable {
  id: Generated<number>;
  /** Random, opaque id used in signed links (never the address, never the row id). */
  public_id: string;
  /** As the reader typed it. */
  email: string;
  /** Lower-cased: addresses are unique case-insensitively. */
  email_normalized: string;
  name: string | null;
  status: SubscriberStatus;
  /** IANA zone; null means NEWSLETTER_TIMEZONE. */
  timezone: string | null;
  /** Local `HH:MM`; null means the series' sendTime. */
  send_time: string | null;
  consent_at: number | null;
  consent_ip: string | null;
  consent_user_agent: string | null;
  /** Which form or tool: `web`, `import`, `cli`. */
  consent_source: string | null;
  created_at: number;
  confirmed_at: number | null;
  status_changed_at: number;
  /** When the next tip is due; the dispatcher's index. Null while not active. */
  next_send_at: number | null;
  last_sent_at: number | null;
  /** Restarting the series starts a new cycle; the ledger is unique per (subscriber, tip, cycle). */
  cycle: Generated<number>;
  /** Last confirmation email sent, to send at most one per 10 minutes. */
  confirm_sent_at: number | null;
}

export interface SuppressionsTable {
  /** sha256 hex of the normalized address. */
  email_hash: string;
  reason: 'unsubscribed' | 'erased' | 'bounced' | 'complained' | 'operator';
  created_at: number;
}

export type DeliveryState = 'sending' | 'sent' | 'retry' | 'failed' | 'bounced';

/** The delivery ledger: one row per (subscriber, tip, cycle), claimed before SMTP, settled after. */
export interface DeliveriesTable {
  id: Generated<number>;
  subscriber_id: number;
  tip_slug: string;
  cycle: number;
  week: number;
  state: DeliveryState;
  attempts: number;
  message_id: string;
  created_at: number;
  claimed_at: number | null;
  sent_at: number | null;
  next_attempt_at: number | null;
  last_response: string | null;
  /** The fingerprint of the text the sent tip carried (migration 008); null: sent before it was recorded. */
  fingerprint: string | null;
}

export type CorrectionState = 'sending' | 'sent' | 'retry' | 'failed';

/** The corrections' ledger (migration 008): one row per (reader, tip, correction), claimed before SMTP. */
export interface CorrectionDeliveriesTable {
  id: Generated<number>;
  subscriber_id: number;
  tip_slug: string;
  /** The correction's key: its date, `#2` after it for a second one of the same date. */
  correction: string;
  state: CorrectionState;
  attempts: number;
  message_id: string;
  created_at: number;
  /** The sender's lease while 'sending'; a claim older than the stale limit is taken over. */
  claimed_at: number | null;
  sent_at: number | null;
  next_attempt_at: number | null;
  last_response: string | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: number;
  outcome: 'sent' | 'temporary' | 'permanent';
  response: string | null;
}

export type SystemEmailState = 'queued' | 'sent' | 'failed' | 'expired' | 'cancelled';

/**
 * Confirmation, welcome and goodbye emails: the durable queue they go through (the welcome at
 * most once per subscriber). A row is written with the change that calls for it, in the same
 * transaction, and stays `queued` until it is sent, refused for good (`failed`), past
 * `expires_at` (`expired`) or no longer wanted (`cancelled`: the reader moved on).
 */
export interface SystemEmailsTable {
  id: Generated<number>;
  subscriber_id: number;
  kind: 'confirm' | 'welcome' | 'goodbye';
  message_id: string;
  created_at: number;
  sent_at: number | null;
  /** A sender took it then (its lease); another leaves it alone until the claim is stale. */
  claimed_at: number | null;
  state: Generated<SystemEmailState>;
  /** Attempts that reached the reader's server (a relay outage spends none). */
  attempts: Generated<number>;
  /** While queued: the earliest time to try it (again). */
  next_attempt_at: number | null;
  /** While queued: when it is no longer worth sending (a confirmation: when its link expires). */
  expires_at: number | null;
  /** The last failure, addresses masked. */
  last_error: string | null;
}

/** One row per dispatch pass in progress, in any process; `seen_at` is its heartbeat (the database's clock). */
export interface SendersTable {
  /** Random per pass. */
  id: string;
  host: string;
  pid: number;
  started_at: number;
  seen_at: number;
}

/** The site's abuse limits across processes: one window per limited key (see rate-limits.ts). */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export type FeedbackAnswer = 'yes' | 'no';

/** One "Did this help?" answer: a reader's (one per tip) or an anonymous one from the web page. */
export interface FeedbackTable {
  id: Generated<number>;
  /** Null for an anonymous answer from the public tip page. */
  subscriber_id: number | null;
  tip_slug: string;
  answer: FeedbackAnswer;
  /** The optional "what would help more?" line. */
  comment: string | null;
  created_at: number;
  updated_at: number;
}
