import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { form, linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

describe('subscription events in the structured log', () => {
  const h = useHarness();

  it('one JSON line per event, naming the reader by id and masked address only', async () => {
    const { welcome } = await subscribeAndConfirm(h, 'Event.Reader@Example.org');
    expect((await form(`${h.url}/subscribe`, { email: 'event.reader@example.org' })).status).toBe(200);
    await fetch(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'List-Unsubscribe=One-Click',
    });
    const lines = h.events.map((l) => JSON.parse(l) as Record<string, unknown>);
    const id = (await h.subscriber('event.reader@example.org'))!.id;
    expect(lines.map((l) => [l.event, l.outcome ?? null])).toEqual([
      ['subscribe', 'confirmation-sent'],
      ['confirmed', null],
      ['subscribe', 'already-subscribed'],
      ['unsubscribed', null],
    ]);
    for (const l of lines)
      expect(l).toMatchObject({
        level: 'info',
        subscriber: id,
        address: '***@example.org',
        msg: `subscription ${String(l.event)}`,
      });
    expect(lines[3]).toMatchObject({ oneClick: true });
    expect(h.events.join('\n')).not.toMatch(/event\.reader@/i);
  });
});

describe('the logger', () => {
  const capture = (level: Parameters<typeof createLogger>[0]) => {
    const lines: string[] = [];
    return {
      log: createLogger(level, { write: (l) => lines.push(l) }),
      lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  };

  it('masks addresses in messages and censors fields named like secrets', () => {
    const { log, lines } = capture('info');
    log.error(
      { email: 'ann@example.net', token: 'abc.def', nested: { email: 'x@y.org' } },
      '550 5.1.1 <bob@example.org>: no such user',
    );
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: '550 5.1.1 <<address>>: no such user',
        email: '[redacted]',
        token: '[redacted]',
        nested: { email: '[redacted]' },
      }),
    ]);
  });

  it('writes only lines at or above its level', () => {
    const { log, lines } = capture('warn');
    log.info('not shown');
    log.debug('not shown');
    log.warn('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('NEWSLETTER_LOG_LEVEL defaults to info, is validated in one line, and NEWSLETTER_METRICS_TOKEN is never echoed', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ NEWSLETTER_LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(() => loadConfig({ NEWSLETTER_LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError(
        'NEWSLETTER_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud"); e.g. NEWSLETTER_LOG_LEVEL=info',
      ),
    );
    expect(loadConfig({ NEWSLETTER_METRICS_TOKEN: 'x'.repeat(16) }).metricsToken).toBe('x'.repeat(16));
    let message = '';
    try {
      loadConfig({ NEWSLETTER_METRICS_TOKEN: 'short-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^NEWSLETTER_METRICS_TOKEN: must be at least 16 characters/);
    expect(message).not.toContain('short-secret');
  });
});
