import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';

describe('DKIM signing (NEWSLETTER_DKIM_*)', () => {
  let sink: SmtpSink;
  let dir: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-dkim-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(path.join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  });
  afterAll(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs every message with the configured domain and selector', async () => {
    const config = loadConfig(
      {
        NEWSLETTER_SMTP_URL: sink.url,
        NEWSLETTER_DKIM_DOMAIN: 'night-cramp-weekly.example',
        NEWSLETTER_DKIM_SELECTOR: 'ncw2026',
        NEWSLETTER_DKIM_KEY_FILE: 'dkim.pem',
      },
      dir,
    );
    const mailer = createMailer(config);
    expect(mailer.describe()).toContain('DKIM');
    await mailer.send({
      to: 'reader@example.org',
      from: 'NCW <tips@night-cramp-weekly.example>',
      subject: 'Hello',
      html: '<p>Hi</p>',
      text: 'Hi',
      messageId: '<ncw.test@night-cramp-weekly.example>',
    });
    await mailer.close();
    const signature = sink.received[0]!.parsed.headers.get('dkim-signature') as
      { value: string; params: Record<string, string> } | string;
    const text =
      typeof signature === 'string'
        ? signature
        : `${signature.value}; ${Object.entries(signature.params)
            .map(([k, v]) => `${k}=${v}`)
            .join('; ')}`;
    expect(text).toMatch(/d=night-cramp-weekly\.example/);
    expect(text).toMatch(/s=ncw2026/);
    expect(text).toMatch(/bh=[A-Za-z0-9+/=]{40,}/);
  });

  it('refuses half a DKIM configuration with one clear line', () => {
    expect(() => loadConfig({ NEWSLETTER_DKIM_DOMAIN: 'example.org' }, dir)).toThrow(
      'NEWSLETTER_DKIM_KEY_FILE: DKIM needs NEWSLETTER_DKIM_DOMAIN, NEWSLETTER_DKIM_SELECTOR and NEWSLETTER_DKIM_KEY_FILE together; e.g. NEWSLETTER_DKIM_KEY_FILE=dkim/private.pem',
    );
  });
});
