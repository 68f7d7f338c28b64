import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { isLoopbackHost, smtpTransportOptions } from '../../src/mailer/smtp-options.ts';

/** Issue 20, row 7, the rule itself (require-tls.test.ts runs it against real relays). */
describe('which hosts count as loopback', () => {
  it('by spelling: 127.0.0.0/8, ::1 and localhost; nothing else, whatever it resolves to', () => {
    for (const h of [
      '127.0.0.1',
      '127.9.8.7',
      'localhost',
      'LOCALHOST',
      'localhost.',
      '[::1]',
      '::1',
      '[::ffff:127.0.0.1]',
    ])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of [
      '192.0.2.2',
      '10.0.0.5',
      'smtp.example.org',
      'localhost.example.org',
      'mylocalhost',
      '[::2]',
      '0.0.0.0',
      hostname(),
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('requireTLS exactly when the URL has credentials, is not smtps and not loopback, and the opt-out is not set', () => {
    const opts = (url: string, authWithoutTls = false) =>
      smtpTransportOptions({ url, pool: 1, authWithoutTls }) as { requireTLS?: boolean };
    expect(opts('smtp://user:pass@smtp.example.org:587').requireTLS).toBe(true);
    expect(opts('smtp://smtp.example.org:587').requireTLS).toBeUndefined();
    expect(opts('smtp://user:pass@127.0.0.1:25').requireTLS).toBeUndefined();
    expect(opts('smtps://user:pass@smtp.example.org:465').requireTLS).toBeUndefined();
    expect(opts('smtp://user:pass@relay.internal:25', true).requireTLS).toBeUndefined();
  });

  it('NEWSLETTER_SMTP_AUTH_WITHOUT_TLS takes 1 or 0, else one line', () => {
    expect(loadConfig({ NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: '1' }, '/tmp').smtpAuthWithoutTls).toBe(true);
    expect(loadConfig({ NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: '0' }, '/tmp').smtpAuthWithoutTls).toBeUndefined();
    expect(() => loadConfig({ NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: 'yes please' }, '/tmp')).toThrow(
      new ConfigError(
        'NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: must be 1 or 0 (got "yes please"); e.g. NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1',
      ),
    );
  });
});
