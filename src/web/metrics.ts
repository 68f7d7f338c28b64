import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PassSummary } from '../delivery/dispatcher.ts';

/** The database's numbers at scrape time (store/gauges.ts fits). */
export interface GaugeReadings {
  subscribers: Record<string, number>;
  deliveries: Record<string, number>;
  retryQueue: number;
  oldestDueLatenessSeconds: number;
  /** Bounces and complaints reported after sending, last 30 days, by kind (absent: none read). */
  bounceEvents30d?: Record<string, number>;
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
export function createMetrics(readGauges: () => Promise<GaugeReadings>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const subscribers = new Gauge({ name: 'newsletter_subscribers', help: 'Subscribers by status.', labelNames: ['status'], registers: [registry] });
  const deliveries = new Gauge({ name: 'newsletter_deliveries', help: 'Deliveries in the ledger by state.', labelNames: ['state'], registers: [registry] });
  const retryQueue = new Gauge({ name: 'newsletter_retry_queue_depth', help: 'Deliveries waiting to be tried again after a temporary failure.', registers: [registry] });
  const lateness = new Gauge({ name: 'newsletter_oldest_due_lateness_seconds', help: 'How long the most overdue active reader has been due (0: nobody is).', registers: [registry] });
  const bounceEvents = new Gauge({
    name: 'newsletter_bounce_events_30d',
    help: 'Bounces and complaints reported after sending (DSN, ARF, ESP webhooks) in the last 30 days, by kind; alert on complaint against newsletter_messages_total (Gmail and Yahoo draw the line at 0.3 %).',
    labelNames: ['kind'],
    registers: [registry],
  });
  const passSeconds = new Histogram({
    name: 'newsletter_pass_duration_seconds',
    help: 'Dispatch passes run by this process, by duration.',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const messages = new Counter({ name: 'newsletter_messages_total', help: 'Tip messages handled by this process\'s passes, by outcome.', labelNames: ['outcome'], registers: [registry] });
  const aborted = new Counter({ name: 'newsletter_passes_aborted_total', help: 'Passes this process stopped early (SMTP down, database error, shutdown).', registers: [registry] });
  // Every outcome shows from the start, at 0: a rate() over a series that appears late misleads.
  for (const outcome of ['sent', 'failed', 'bounced', 'retried']) messages.inc({ outcome }, 0);

  return {
    recordPass(s) {
      passSeconds.observe(s.elapsedMs / 1000);
      messages.inc({ outcome: 'sent' }, s.sent);
      messages.inc({ outcome: 'failed' }, s.failed);
      messages.inc({ outcome: 'bounced' }, s.bounced);
      messages.inc({ outcome: 'retried' }, s.retried);
      if (s.aborted) aborted.inc();
    },
    async scrape() {
      const g = await readGauges();
      for (const [status, n] of Object.entries(g.subscribers)) subscribers.set({ status }, n);
      for (const [state, n] of Object.entries(g.deliveries)) deliveries.set({ state }, n);
      retryQueue.set(g.retryQueue);
      lateness.set(g.oldestDueLatenessSeconds);
      for (const [kind, n] of Object.entries(g.bounceEvents30d ?? {})) bounceEvents.set({ kind }, n);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
