import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../src/config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ncw-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function envFile(text: string, env: Record<string, string> = {}) {
  await writeFile(path.join(dir, '.env'), text);
  return readEnv(dir, env);
}

describe('.env, read by Node as dotenv read it', () => {
  it('reads quotes, comments, `export`, blank values and escapes in double quotes', async () => {
    const env = await envFile(
      [
        '# a comment line',
        'PLAIN=1',
        'SPACED = two words  ',
        'NEWSLETTER_FROM="Night Cramp Weekly <tips@example.org>"',
        "SINGLE='kept \\n as is'",
        'DOUBLE="line one\\nline two"',
        'HASH="not # a comment"',
        'TRAILING=value # a comment',
        'export EXPORTED=yes',
        'EMPTY=',
        'URL=https://news.example.org/?a=1',
        '',
      ].join('\n'),
    );
    expect(env).toMatchObject({
      PLAIN: '1',
      SPACED: 'two words',
      NEWSLETTER_FROM: 'Night Cramp Weekly <tips@example.org>',
      SINGLE: 'kept \\n as is',
      DOUBLE: 'line one\nline two',
      HASH: 'not # a comment',
      TRAILING: 'value',
      EXPORTED: 'yes',
      EMPTY: '',
      URL: 'https://news.example.org/?a=1',
    });
  });

  it('reads a multi-line quoted value, CRLF line ends and a byte-order mark', async () => {
    const env = await envFile('\uFEFFFIRST=1\r\nKEY="-----BEGIN-----\nabc\n-----END-----"\r\nAFTER=2\r\n');
    expect(env).toMatchObject({ FIRST: '1', KEY: '-----BEGIN-----\nabc\n-----END-----', AFTER: '2' });
  });

  it('lets the real environment win over the file', async () => {
    const env = await envFile('PORT=3100\nHOST=0.0.0.0\n', { PORT: '4000' });
    expect(env.PORT).toBe('4000');
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('is optional', async () => {
    await rm(path.join(dir, '.env'), { force: true });
    expect(readEnv(dir, { A: '1' })).toEqual({ A: '1' });
  });
});

describe('loadConfig', () => {
  const load = (env: Record<string, string>) => loadConfig(env, dir);
  const refusal = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('gives every setting its default', () => {
    const c = load({});
    expect(c).toMatchObject({
      rootDir: dir,
      contentDir: path.join(dir, 'content'),
      templatesDir: path.join(dir, 'templates'),
      database: { kind: 'sqlite', file: path.join(dir, 'subscribers/newsletter.db') },
      smtpPool: 5,
      outboxDir: path.join(dir, 'outbox'),
      baseUrl: 'http://localhost:3000',
      cron: '*/15 * * * *',
      timezone: 'UTC',
      port: 3000,
      host: '127.0.0.1',
      trustProxy: false,
      production: false,
      logLevel: 'info',
      metricsPort: 9464,
      confirmationQueue: 1000,
    });
    for (const key of ['smtpUrl', 'rate', 'from', 'dkim', 'secretFromEnv', 'cacheDir', 'outboxChosen', 'bounceAddress'])
      expect(c).not.toHaveProperty(key);
  });

  it('reads each variable into its field', () => {
    const c = load({
      NEWSLETTER_DATABASE_URL: 'postgres://u:p@db.example.org/news',
      NEWSLETTER_DATABASE_POOL: '7',
      NEWSLETTER_SMTP_URL: 'smtp://u:p@smtp.example.org:587',
      NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: 'true',
      NEWSLETTER_SMTP_POOL: '3',
      NEWSLETTER_RATE: '2.5',
      NEWSLETTER_OUTBOX_DIR: 'mail',
      NEWSLETTER_FROM: 'Tips <tips@example.org>',
      PORT: '0',
      NEWSLETTER_BASE_URL: 'https://news.example.org/',
      NEWSLETTER_CRON: '0 * * * *',
      NEWSLETTER_TIMEZONE: 'Europe/London',
      NODE_ENV: 'production',
      NEWSLETTER_SECRET: 'k'.repeat(32),
      NEWSLETTER_SECRET_PREVIOUS: 'p'.repeat(32),
      NEWSLETTER_TRUST_PROXY: '1',
      NEWSLETTER_LOG_LEVEL: 'DEBUG',
      NEWSLETTER_METRICS_TOKEN: 't'.repeat(16),
      NEWSLETTER_METRICS_PORT: '9000',
      NEWSLETTER_CACHE_DIR: 'off',
      NEWSLETTER_BOUNCE_ADDRESS: 'bounces@example.org',
      NEWSLETTER_BOUNCE_IMAP_URL: 'imaps://b:s@imap.example.org/INBOX',
      NEWSLETTER_WEBHOOK_POSTMARK_AUTH: 'pm:abcdefghijkl',
      NEWSLETTER_WEBHOOK_MAILGUN_KEY: 'key-0123456789abcdef',
      NEWSLETTER_CONFIRMATION_QUEUE: '50',
    });
    expect(c).toMatchObject({
      database: { kind: 'postgres', url: 'postgres://u:p@db.example.org/news', pool: 7 },
      smtpUrl: 'smtp://u:p@smtp.example.org:587',
      smtpAuthWithoutTls: true,
      smtpPool: 3,
      rate: 2.5,
      outboxDir: path.join(dir, 'mail'),
      outboxChosen: true,
      from: 'Tips <tips@example.org>',
      port: 0,
      baseUrl: 'https://news.example.org',
      cron: '0 * * * *',
      timezone: 'Europe/London',
      production: true,
      host: '0.0.0.0',
      secretFromEnv: 'k'.repeat(32),
      previousSecretFromEnv: 'p'.repeat(32),
      trustProxy: true,
      logLevel: 'debug',
      metricsToken: 't'.repeat(16),
      metricsPort: 9000,
      cacheDir: false,
      bounceAddress: 'bounces@example.org',
      bounceImapUrl: 'imaps://b:s@imap.example.org/INBOX',
      webhookPostmarkAuth: 'pm:abcdefghijkl',
      webhookMailgunKey: 'key-0123456789abcdef',
      confirmationQueue: 50,
    });
  });

  it('refuses a bad value with the variable, the problem and an example, never echoing a secret', () => {
    expect(refusal({ NEWSLETTER_SMTP_POOL: '0' })).toBe(
      'NEWSLETTER_SMTP_POOL: must be a whole number from 1 to 50 (got "0"); e.g. NEWSLETTER_SMTP_POOL=5',
    );
    expect(refusal({ NEWSLETTER_RATE: 'fast' })).toMatch(/^NEWSLETTER_RATE: .*\(got "fast"\)/);
    expect(refusal({ NEWSLETTER_TRUST_PROXY: 'yes' })).toMatch(/^NEWSLETTER_TRUST_PROXY: must be true or false/);
    expect(refusal({ NEWSLETTER_SECRET: 'short-secret' })).not.toContain('short-secret');
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/^NEWSLETTER_SECRET: is required when NODE_ENV=production/);
    expect(refusal({ NEWSLETTER_SMTP_URL: 'smtp://u:hunter2@host:25/path' })).not.toContain('hunter2');
    expect(refusal({ NEWSLETTER_DKIM_DOMAIN: 'example.org' })).toMatch(/^NEWSLETTER_DKIM_KEY_FILE: DKIM needs/);
    expect(refusal({ NEWSLETTER_LOG_LEVEL: 'loud' })).toMatch(/^NEWSLETTER_LOG_LEVEL: must be one of fatal/);
    expect(refusal({ NEWSLETTER_BOUNCE_ADDRESS: 'a+b@example.org' })).toMatch(/without \+/);
    expect(refusal({ NEWSLETTER_SENDING_IP: 'relay.example.org' })).toBe(
      'NEWSLETTER_SENDING_IP: must be the relay\'s outgoing IPv4 or IPv6 address (got "relay.example.org"); e.g. NEWSLETTER_SENDING_IP=203.0.113.25',
    );
    expect(load({ NEWSLETTER_SENDING_IP: '2001:db8::25' }).sendingIp).toBe('2001:db8::25');
  });

  it("reads the complaint guard's lines as percentages (default 0.1/0.3 % complaints, 2/5 % bounces, 1,000 delivered)", () => {
    expect(load({}).guard).toEqual({
      complaintWarn: 0.001,
      complaintPause: 0.003,
      bounceWarn: 0.02,
      bouncePause: 0.05,
      minDelivered: 1000,
    });
    expect(
      load({
        NEWSLETTER_GUARD_COMPLAINT_WARN: '0.05%',
        NEWSLETTER_GUARD_COMPLAINT_PAUSE: '0.2',
        NEWSLETTER_GUARD_BOUNCE_WARN: '1',
        NEWSLETTER_GUARD_BOUNCE_PAUSE: '3 %',
        NEWSLETTER_GUARD_MIN_DELIVERED: '500',
      }).guard,
    ).toEqual({ complaintWarn: 0.0005, complaintPause: 0.002, bounceWarn: 0.01, bouncePause: 0.03, minDelivered: 500 });
    expect(refusal({ NEWSLETTER_GUARD_COMPLAINT_PAUSE: 'high' })).toBe(
      'NEWSLETTER_GUARD_COMPLAINT_PAUSE: must be a percentage above 0 and at most 100 (got "high"); e.g. NEWSLETTER_GUARD_COMPLAINT_PAUSE=0.3',
    );
    expect(refusal({ NEWSLETTER_GUARD_BOUNCE_WARN: '6' })).toMatch(
      /^NEWSLETTER_GUARD_BOUNCE_WARN: must not be above NEWSLETTER_GUARD_BOUNCE_PAUSE \(5\)/,
    );
  });

  it('reads NEWSLETTER_CFBL_ADDRESS, refusing a named address and one the DKIM domain does not align with', async () => {
    await writeFile(path.join(dir, 'dkim.pem'), 'a key');
    const dkim = {
      NEWSLETTER_DKIM_DOMAIN: 'example.org',
      NEWSLETTER_DKIM_SELECTOR: 's1',
      NEWSLETTER_DKIM_KEY_FILE: 'dkim.pem',
    };
    expect(load({ ...dkim, NEWSLETTER_CFBL_ADDRESS: 'fbl@mail.example.org' }).cfblAddress).toBe('fbl@mail.example.org');
    expect(load({ NEWSLETTER_CFBL_ADDRESS: 'fbl@example.org' }).cfblAddress).toBe('fbl@example.org');
    expect(load({}).cfblAddress).toBeUndefined();
    expect(refusal({ NEWSLETTER_CFBL_ADDRESS: 'FBL <fbl@example.org>' })).toMatch(
      /^NEWSLETTER_CFBL_ADDRESS: must be a plain address without a name/,
    );
    expect(refusal({ ...dkim, NEWSLETTER_CFBL_ADDRESS: 'fbl@other.example' })).toMatch(
      /^NEWSLETTER_CFBL_ADDRESS: its domain must align with NEWSLETTER_DKIM_DOMAIN \(example\.org\).*e\.g\. NEWSLETTER_CFBL_ADDRESS=fbl@example\.org$/,
    );
  });
});
