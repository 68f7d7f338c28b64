import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../support/dns-server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startRole } from '../support/start-process.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const REAL_POSTAL = 'Night Cramp Weekly, 4 Harbour Street, Whitby, YO21 3PR';

/**
 * In production `start` runs `newsletter doctor` once at boot, after the site listens, and logs
 * what fails with what to do; the service keeps running (a DNS record is fixed elsewhere).
 */
describe('start in production: doctor at boot', () => {
  let temp: TempProject;
  let sink: SmtpSink;
  let dns: DnsServer;
  beforeAll(async () => {
    temp = await tempProject();
    const series = path.join(temp.dir, 'content/series.yml');
    await writeFile(
      series,
      (await readFile(series, 'utf8')).replace(/^postalAddress: .*$/m, `postalAddress: ${REAL_POSTAL}`),
    );
    sink = await startSmtpSink();
    // A zone with nothing in it: no SPF, no DKIM key, no DMARC.
    dns = await startDnsServer({});
  });
  afterAll(async () => {
    await dns.close();
    await sink.close();
    await temp.cleanup();
  });

  it('logs each ✗ with its fix and keeps serving', async () => {
    const child = startRole(temp.dir, 'site', {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net',
      NEWSLETTER_FROM: 'Night Cramp Weekly <tips@night-cramp-weekly.net>',
      NEWSLETTER_SMTP_URL: sink.url,
      NEWSLETTER_DATABASE_URL: `sqlite:${path.join(temp.dir, 'subscribers/newsletter.db')}`,
      NEWSLETTER_DNS_SERVERS: dns.address,
    });
    try {
      await child.until(/"msg":"doctor: \d+ ✓/, 60_000);
      const lines = child
        .out()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map(
          (l) => JSON.parse(l) as { level: number | string; msg: string; check?: string; record?: { name: string } },
        );
      const spf = lines.find((l) => l.check === 'SPF' && /no SPF record/.test(l.msg));
      expect(spf?.msg).toMatch(/^doctor: ✗ SPF: night-cramp-weekly\.net has no SPF record/);
      expect(lines.find((l) => l.check === 'DMARC')?.record?.name).toBe('_dmarc.night-cramp-weekly.net');
      expect(lines.some((l) => /^doctor: \d+ ✓, \d+ ⚠, [1-9]\d* ✗; run `newsletter doctor`/.test(l.msg))).toBe(true);
      // Still serving: the failures are logged, not a reason to stop.
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(child.out())?.[1];
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  }, 90_000);
});
