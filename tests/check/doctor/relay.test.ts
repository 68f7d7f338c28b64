import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayCheck } from '../../../src/check/doctor/run-doctor.ts';
import { formatFinding } from '../../../src/check/doctor/finding.ts';
import { loadConfig } from '../../../src/config.ts';
import { selfSignedCertificate, type Certificate } from '../../support/certificate.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';

/** The relay lines of `doctor` for NEWSLETTER_SMTP_URL (and its settings), as text. */
async function relayLines(env: Record<string, string>): Promise<string> {
  const config = loadConfig(
    { NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', ...env },
    process.cwd(),
  );
  return (await relayCheck(config)).flatMap(formatFinding).join('\n');
}

const withUser = (url: string) => url.replace('smtp://', 'smtp://newsletter:relay-password@');

/**
 * The relay check against real SMTP servers on loopback: EHLO, STARTTLS and the certificate
 * (self-signed here: this process trusts no test certificate), the login; it never sends.
 */
describe('doctor: the relay', () => {
  let cert: Certificate;
  const sinks: SmtpSink[] = [];
  const sink = async (options: Parameters<typeof startSmtpSink>[0]) => {
    const s = await startSmtpSink(options);
    sinks.push(s);
    return s;
  };
  beforeAll(() => {
    cert = selfSignedCertificate();
  });
  afterAll(async () => {
    for (const s of sinks) await s.close();
    cert.cleanup();
  });

  it('STARTTLS with a self-signed certificate: ⚠; the login accepted; nothing sent', async () => {
    const relay = await sink({ starttls: true, tls: cert });
    const out = await relayLines({ NEWSLETTER_SMTP_URL: withUser(relay.url) });
    expect(out).toMatch(
      /^⚠ relay: 127\.0\.0\.1:\d+ answers EHLO and offers STARTTLS, but the certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/m,
    );
    expect(out).toMatch(/^✓ relay: 127\.0\.0\.1:\d+ accepted the login of newsletter$/m);
    expect(relay.auths).toEqual([expect.objectContaining({ username: 'newsletter', secure: true })]);
    expect(relay.received).toHaveLength(0);
  });

  it('no STARTTLS on a relay on this machine: ⚠ (✗ anywhere else)', async () => {
    const relay = await sink({ starttls: false });
    const out = await relayLines({ NEWSLETTER_SMTP_URL: relay.url });
    expect(out).toMatch(/^⚠ relay: 127\.0\.0\.1:\d+ answers EHLO but offers no STARTTLS/m);
    expect(out).toMatch(/^✓ relay: 127\.0\.0\.1:\d+ takes mail without a login/m);
  });

  it('an expired certificate: ✗', async () => {
    // smtp-server's bundled localhost certificate has expired.
    const relay = await sink({ starttls: true });
    const out = await relayLines({ NEWSLETTER_SMTP_URL: relay.url });
    expect(out).toMatch(/^✗ relay: .*the certificate does not verify \(CERT_HAS_EXPIRED\)$/m);
  });

  it('a login the relay refuses: ✗ saying to check the user and password', async () => {
    const relay = await sink({ starttls: true, tls: cert, refuseAuth: true });
    const out = await relayLines({ NEWSLETTER_SMTP_URL: withUser(relay.url) });
    expect(out).toMatch(/^✗ relay: 127\.0\.0\.1:\d+: the relay refused the login \(535 /m);
    expect(out).toContain('check the user and password in NEWSLETTER_SMTP_URL');
  });

  it('nothing listening: ✗ with what to check', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const out = await relayLines({ NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${port}` });
    expect(out).toContain(`✗ relay: cannot talk to 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('no NEWSLETTER_SMTP_URL: ✗, emails would only reach the outbox folder', async () => {
    expect(await relayLines({})).toMatch(/^✗ relay: NEWSLETTER_SMTP_URL is not set/);
  });
});
