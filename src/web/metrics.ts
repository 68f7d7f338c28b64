import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PassSummary } from '../delivery/dispatcher.ts';
import type { GuardReport } from '../delivery/complaint-guard.ts';
import { STOP_CAUSES } from '../delivery/send-guards.ts';
import type { TipHold } from '../content/index.ts';

/** The database's numbers at scrape time (store/gauges.ts fits). */
export interface GaugeReadings {
  subscribers: Record<string, number>;
  deliveries: Record<string, number>;
  retryQueue: number;
  oldestDueLatenessSeconds: number;
  /** Bounces and complaints reported after sending, last 30 days, by kind (absent: none read). */
  bounceEvents30d?: Record<string, number>;
  /** Sources found dead by the last link check (`check --links`, or `start`'s weekly one); absent: never checked. */
  brokenSources?: number;
  /** What every sender on the database met of the relay (store/relay-state.ts fits; absent: none read). */
  relay?: {
    lastConnectionFailure: { count: number; lastAt: number; last: string } | null;
    passesStopped: Record<string, { count: number }>;
  };
  /** The complaint and bounce guard at scrape time (delivery/complaint-guard.ts's report fits; absent: none read). */
  guard?: Pick<GuardReport, 'paused' | 'complaintRate' | 'bounceRate' | 'figures' | 'warnings'>;
  /** The published tips that do not go out now, by `check`'s publish rules (absent: none read). */
  holds?: readonly TipHold[];
  /** The provider sites as every sender left them (store/shaping.ts fits; absent: none read). */
  sites?: { site: string; suspendedUntil: number; sent: number; deferred: number }[];
}

/**
 * A short, bounded label for a failure's text: its SMTP code (`421`), else its most specific
 * error code (`ESOCKET: connect ECONNREFUSED …` → `ECONNREFUSED`).
 */
function failureCode(text: string): string {
  return /^\s*([2-5]\d\d)\b/.exec(text)?.[1] ?? [...text.matchAll(/\b(E[A-Z]{3,})\b/g)].pop()?.[1] ?? 'other';
}

export interface Metrics {
  /** Adds one finished pass to the counters (only the process that runs passes has any). */
  recordPass(summary: PassSummary): void;
  /** The Prometheus text exposition, gauges read fresh from the database. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * Prometheus metrics for one process, in a registry of its own (never prom-client's global
 * one), so two sites in one process (tests) do not collide. Database gauges are the same on
 * every replica; pass counters are this process's own since it started.
 */
export function createMetrics(readGauges: () => Promise<GaugeReadings>, now: () => number = () => Date.now()): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Registered in this order, and shown in it: database, this process's passes, the relay.
  const showDatabase = databaseGauges(registry);
  const recordPass = passCounters(registry);
  const showRelay = relayGauges(registry);
  const showGuard = guardGauges(registry);
  const broken = new Gauge({
    name: 'newsletter_broken_sources',
    help: 'Tip sources found dead (4xx, 5xx, DNS, TLS) by the last link check; `newsletter check` lists them',
    registers: [registry],
  });
  const holds = holdGauges(registry);
  const showSites = siteGauges(registry);
  return {
    recordPass(summary) {
      recordPass(summary);
      holds.recordPass(summary);
    },
    async scrape() {
      const g = await readGauges();
      showDatabase(g);
      if (g.relay) showRelay(g.relay);
      if (g.guard) showGuard(g.guard);
      broken.set(g.brokenSources ?? 0);
      holds.show(g.holds ?? []);
      if (g.sites) showSites(g.sites, now());
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** The readers, the ledger, the retry queue and reported bounces: set from the database at each scrape. */
function databaseGauges(registry: Registry): (g: GaugeReadings) => void {
  const subscribers = new Gauge({
    name: 'newsletter_subscribers',
    help: 'Subscribers by status.',
    labelNames: ['status'],
    registers: [registry],
  });
  const deliveries = new Gauge({
    name: 'newsletter_deliveries',
    help: 'Deliveries in the ledger by state.',
    labelNames: ['state'],
    registers: [registry],
  });
  const retryQueue = new Gauge({
    name: 'newsletter_retry_queue_depth',
    help: 'Deliveries waiting to be tried again after a temporary failure.',
    registers: [registry],
  });
  const lateness = new Gauge({
    name: 'newsletter_oldest_due_lateness_seconds',
    help: 'How long the most overdue active reader has been due (0: nobody is).',
    registers: [registry],
  });
  const bounceEvents = new Gauge({
    name: 'newsletter_bounce_events_30d',
    help: 'Bounces and complaints reported after sending (DSN, ARF, ESP webhooks) in the last 30 days, by kind; alert on complaint against newsletter_messages_total (Gmail and Yahoo draw the line at 0.3 %).',
    labelNames: ['kind'],
    registers: [registry],
  });
  return (g) => {
    for (const [status, n] of Object.entries(g.subscribers)) subscribers.set({ status }, n);
    for (const [state, n] of Object.entries(g.deliveries)) deliveries.set({ state }, n);
    retryQueue.set(g.retryQueue);
    lateness.set(g.oldestDueLatenessSeconds);
    for (const [kind, n] of Object.entries(g.bounceEvents30d ?? {})) bounceEvents.set({ kind }, n);
  };
}

/** This process's own passes: counted as each one finishes. */
function passCounters(registry: Registry): (summary: PassSummary) => void {
  const passSeconds = new Histogram({
    name: 'newsletter_pass_duration_seconds',
    help: 'Dispatch passes run by this process, by duration.',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const messages = new Counter({
    name: 'newsletter_messages_total',
    help: "Tip messages handled by this process's passes, by outcome.",
    labelNames: ['outcome'],
    registers: [registry],
  });
  const aborted = new Counter({
    name: 'newsletter_passes_aborted_total',
    help: 'Passes this process stopped early (SMTP down, database error, shutdown).',
    registers: [registry],
  });
  // Every outcome shows from the start, at 0: a rate() over a series that appears late misleads.
  for (const outcome of ['sent', 'failed', 'bounced', 'retried']) messages.inc({ outcome }, 0);
  return (s) => {
    passSeconds.observe(s.elapsedMs / 1000);
    messages.inc({ outcome: 'sent' }, s.sent);
    messages.inc({ outcome: 'failed' }, s.failed);
    messages.inc({ outcome: 'bounced' }, s.bounced);
    messages.inc({ outcome: 'retried' }, s.retried);
    if (s.aborted) aborted.inc();
  };
}

/** What every sender on the database met of the relay: set from the database at each scrape. */
function relayGauges(registry: Registry): (relay: NonNullable<GaugeReadings['relay']>) => void {
  const stopped = new Gauge({
    name: 'newsletter_passes_stopped',
    help: 'Passes stopped early by every sender on this database, by cause (relay_temporary, relay_refused_sender, relay_unavailable, recipients_refused, database, shutdown, not_sent); from the database.',
    labelNames: ['cause'],
    registers: [registry],
  });
  const connectionFailures = new Gauge({
    name: 'newsletter_relay_connection_failures',
    help: 'Passes, by any sender on this database, that could not reach or keep the relay at least once (refused, 421, dropped, timed out, TLS or login refused).',
    registers: [registry],
  });
  const lastFailure = new Gauge({
    name: 'newsletter_relay_last_connection_failure_timestamp_seconds',
    help: "When a sender last could not reach or keep the relay, labelled with the failure's SMTP or error code; absent before any.",
    labelNames: ['code'],
    registers: [registry],
  });
  for (const cause of STOP_CAUSES) stopped.set({ cause }, 0);
  return (relay) => {
    for (const [cause, e] of Object.entries(relay.passesStopped)) stopped.set({ cause }, e.count);
    const last = relay.lastConnectionFailure;
    connectionFailures.set(last?.count ?? 0);
    // One series at a time: the code of the last failure, not every code ever seen.
    lastFailure.reset();
    if (last) lastFailure.set({ code: failureCode(last.last) }, last.lastAt / 1000);
  };
}

/** The complaint and bounce guard, every sender alike: set from the database at each scrape. */
function guardGauges(registry: Registry): (guard: NonNullable<GaugeReadings['guard']>) => void {
  const paused = new Gauge({
    name: 'newsletter_send_guard_paused',
    help: '1 while the complaint and bounce guard pauses tip sends on every sender (lift it with `newsletter guard release --reason "…"`), else 0.',
    registers: [registry],
  });
  const warning = new Gauge({
    name: 'newsletter_send_guard_warning',
    help: 'Rates at or above a warning line of the complaint and bounce guard now (0: none).',
    registers: [registry],
  });
  const rate = new Gauge({
    name: 'newsletter_send_guard_rate',
    help: "The guard's rates over its window (30 days, or since the last release): complaint (complaints / delivered) and hard_bounce ((refused + hard bounces) / sent).",
    labelNames: ['kind'],
    registers: [registry],
  });
  const delivered = new Gauge({
    name: 'newsletter_send_guard_delivered',
    help: "Tips delivered in the guard's window; it pauses only from NEWSLETTER_GUARD_MIN_DELIVERED (1,000) on.",
    registers: [registry],
  });
  return (g) => {
    paused.set(g.paused ? 1 : 0);
    warning.set(g.warnings.length);
    rate.set({ kind: 'complaint' }, g.complaintRate ?? 0);
    rate.set({ kind: 'hard_bounce' }, g.bounceRate ?? 0);
    delivered.set(g.figures.delivered);
  };
}

/**
 * The tips `check`'s publish rules keep back: how many are blocked (off the site, not sent), and
 * for each blocked or held tip the readers who waited for it in this process's last pass (0 in
 * a process that runs no passes, or before its first).
 */
function holdGauges(registry: Registry) {
  const blocked = new Gauge({
    name: 'newsletter_tips_blocked',
    help: 'Published tips that fail `newsletter check`: not on the site and not sent until fixed.',
    registers: [registry],
  });
  const held = new Gauge({
    name: 'newsletter_tips_held',
    help: 'Readers who waited for this tip in the last pass of this process: the tip fails `check` (kind="blocked") or its text is unreviewed or overdue (kind="held"; `newsletter review` releases it).',
    labelNames: ['tip', 'kind'],
    registers: [registry],
  });
  blocked.set(0);
  let waiting = new Map<string, number>();
  return {
    recordPass(summary: PassSummary): void {
      waiting = new Map((summary.held ?? []).map((h) => [h.slug, h.readers]));
    },
    show(holds: readonly TipHold[]): void {
      blocked.set(holds.filter((h) => h.kind === 'blocked').length);
      // Only the tips held now: one released since the last scrape disappears.
      held.reset();
      for (const h of holds) held.set({ tip: h.slug, kind: h.kind }, waiting.get(h.slug) ?? 0);
    },
  };
}

/** The provider sites (shaping, issue 26): set from the database at each scrape. */
function siteGauges(registry: Registry): (sites: NonNullable<GaugeReadings['sites']>, now: number) => void {
  const suspended = new Gauge({
    name: 'newsletter_site_suspended',
    help: 'Whether a provider site is suspended now, by the deferral reflex or a policy refusal (1), or not (0); every sender on this database.',
    labelNames: ['site'],
    registers: [registry],
  });
  const until = new Gauge({
    name: 'newsletter_site_suspended_until_timestamp_seconds',
    help: "Until when a provider site is suspended; absent when it is not (`newsletter stats` gives the provider's answer).",
    labelNames: ['site'],
    registers: [registry],
  });
  const sent = new Gauge({
    name: 'newsletter_site_sent',
    help: 'Messages sent to a provider site by every sender on this database (a count that only grows); from the database.',
    labelNames: ['site'],
    registers: [registry],
  });
  const deferred = new Gauge({
    name: 'newsletter_site_deferred',
    help: 'Rate deferrals a provider site answered (each one suspends it), every sender on this database; from the database.',
    labelNames: ['site'],
    registers: [registry],
  });
  return (sites, now) => {
    until.reset();
    for (const s of sites) {
      const on = s.suspendedUntil > now;
      suspended.set({ site: s.site }, on ? 1 : 0);
      if (on) until.set({ site: s.site }, s.suspendedUntil / 1000);
      sent.set({ site: s.site }, s.sent);
      deferred.set({ site: s.site }, s.deferred);
    }
  };
}
