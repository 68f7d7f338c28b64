import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINK_CHECK_FILE } from '../../src/check/links.ts';
import { dataDir } from '../../src/config.ts';
import type { PassSummary } from '../../src/delivery/dispatcher.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { subscribeAndConfirm, useHarness } from './harness.ts';

const TOKEN = 'a-metrics-token-of-decent-length';

describe('GET /metrics when NEWSLETTER_METRICS_TOKEN is unset', () => {
  const h = useHarness();

  it('does not exist', async () => {
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });
});

describe('GET /metrics with NEWSLETTER_METRICS_TOKEN', () => {
  const h = useHarness({ env: { NEWSLETTER_METRICS_TOKEN: TOKEN } });

  it('answers 401 without the token, or with another one', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer ${TOKEN.slice(1)}`]) {
      const res = await fetch(`${h.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain('newsletter_');
    }
  });

  it('reads the database gauges at scrape time, in the Prometheus text format', async () => {
    await subscribeAndConfirm(h, 'counted@example.org');
    // One reader overdue by two minutes at the site's clock.
    await h.db
      .updateTable('subscribers')
      .set({ next_send_at: h.clock.now().getTime() - 120_000 })
      .where('email', '=', 'counted@example.org')
      .execute();
    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE newsletter_subscribers gauge');
    expect(text).toContain('newsletter_subscribers{status="active"} 1');
    expect(text).toContain('newsletter_subscribers{status="bounced"} 0');
    expect(text).toContain('newsletter_deliveries{state="retry"} 0');
    expect(text).toContain('newsletter_oldest_due_lateness_seconds 120');
    for (const kind of ['hard', 'soft', 'complaint', 'lifted'])
      expect(text).toContain(`newsletter_bounce_events_30d{kind="${kind}"} 0`);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('newsletter_broken_sources: the dead sources of the last link check, 0 before any', async () => {
    const scrape = async () =>
      (await (await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).split('\n');
    expect(await scrape()).toContain('newsletter_broken_sources 0');
    const dead = (line: number, kind: string) => ({
      severity: 'error',
      check: 'links',
      file: 'content/tips/01-a.md',
      line,
      message: `${kind} https://gone.example.org/ is dead (404 Not Found): replace it with a page that works, or remove it`,
    });
    const folder = dataDir(h.temp.config);
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, LINK_CHECK_FILE),
      JSON.stringify({ checkedAt: 1, results: {}, problems: [dead(6, 'source'), dead(8, 'source'), dead(12, 'link')] }),
    );
    expect(await scrape()).toContain('newsletter_broken_sources 2');
  });

  it('counts the bounces and complaints reported in the last 30 days, by kind', async () => {
    const subscriber = (
      await h.db
        .selectFrom('subscribers')
        .select('id')
        .where('email', '=', 'counted@example.org')
        .executeTakeFirstOrThrow()
    ).id;
    const now = h.clock.now().getTime();
    const day = 86_400_000;
    const event = (kind: 'hard' | 'soft' | 'complaint', at: number, key: string) => ({
      subscriber_id: subscriber,
      delivery_id: null,
      kind,
      source: 'dsn' as const,
      status: null,
      detail: null,
      event_key: key,
      received_at: at,
    });
    await h.db
      .insertInto('bounce_events')
      .values([
        event('soft', now - day, 'a'),
        event('soft', now - 2 * day, 'b'),
        event('complaint', now - 29 * day, 'c'),
        event('hard', now - 31 * day, 'too-old'),
      ])
      .execute();
    const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toContain('newsletter_bounce_events_30d{kind="soft"} 2');
    expect(text).toContain('newsletter_bounce_events_30d{kind="complaint"} 1');
    expect(text).toContain('newsletter_bounce_events_30d{kind="hard"} 0');
  });
});

describe('pass counters', () => {
  it('add up every pass this process ran', async () => {
    const metrics = createMetrics(async () => ({
      subscribers: {},
      deliveries: {},
      retryQueue: 3,
      oldestDueLatenessSeconds: 0,
    }));
    const pass = (p: Partial<PassSummary>): PassSummary => ({
      due: 0,
      sent: 0,
      retried: 0,
      failed: 0,
      bounced: 0,
      skipped: 0,
      problems: [],
      elapsedMs: 2000,
      ...p,
    });
    metrics.recordPass(pass({ sent: 5, failed: 1 }));
    metrics.recordPass(pass({ sent: 2, bounced: 1, retried: 4, aborted: 'SMTP server down' }));
    const { body } = await metrics.scrape();
    expect(body).toContain('newsletter_messages_total{outcome="sent"} 7');
    expect(body).toContain('newsletter_messages_total{outcome="failed"} 1');
    expect(body).toContain('newsletter_messages_total{outcome="bounced"} 1');
    expect(body).toContain('newsletter_messages_total{outcome="retried"} 4');
    expect(body).toContain('newsletter_passes_aborted_total 1');
    expect(body).toContain('newsletter_pass_duration_seconds_count 2');
    expect(body).toContain('newsletter_pass_duration_seconds_sum 4');
    expect(body).toContain('newsletter_retry_queue_depth 3');
  });
});
