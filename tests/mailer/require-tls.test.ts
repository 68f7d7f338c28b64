import { networkInterfaces, hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import { SendError, type Mailer } from '../../src/mailer/mailer.ts';
import { runCli } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/**
 * Issue 20, row 7: `smtp://user:pass@…` to a relay without STARTTLS sent `AUTH PLAIN` with the
 * password in clear. Credentials now cross a network only inside TLS.
 *
 * "Not loopback" is tested honestly: the relay listens on this machine's own non-loopback address
 * (its LAN interface), and the URL names that address, so the check sees exactly what an operator's
 * `smtp://user:pass@10.0.0.5` would give it. A machine with no such interface falls back to its
 * host name, which is not loopback by spelling whatever it resolves to (the check never trusts DNS),
 * with the relay listening on every interface so the name reaches it.
 */
const lan = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const remoteHost = lan ?? hostname();
const listenOn = lan ?? '0.0.0.0';
const PASSWORD = 'a-secret-relay-password';

describe('credentials and TLS, against real relays', () => {
  let tp: TempProject;
  const sinks: SmtpSink[] = [];
  const mailers: Mailer[] = [];
  beforeAll(async () => {
    tp = await tempProject();
  });
  afterEach(async () => {
    for (const m of mailers.splice(0)) await m.close();
  });
  afterAll(async () => {
    for (const s of sinks) await s.close();
    await tp.cleanup();
  });

  const relay = async (options: { host: string; starttls?: boolean }) => {
    const sink = await startSmtpSink({ parse: false, ...options });
    sinks.push(sink);
    return sink;
  };
  const urlFor = (sink: SmtpSink, host: string) => `smtp://newsletter:${PASSWORD}@${host}:${sink.port}`;
  const mailerFor = (url: string, env: Record<string, string> = {}) => {
    const mailer = createMailer(loadConfig({ NEWSLETTER_SMTP_URL: url, NEWSLETTER_SMTP_POOL: '1', ...env }, tp.dir));
    mailers.push(mailer);
    return mailer;
  };
  const message = {
    to: 'reader@example.org',
    from: 'Night Cramp Weekly <tips@example.org>',
    subject: 'A tip',
    html: '<p>Hi</p>',
    text: 'Hi',
    messageId: '<tls-test@example.org>',
  };

  it('a non-loopback relay without STARTTLS gets no AUTH and no mail: the send fails with a line that says what to do', async () => {
    const sink = await relay({ host: listenOn });
    const failure = await mailerFor(urlFor(sink, remoteHost))
      .send(message)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(SendError);
    expect(failure).toMatchObject({
      kind: 'unavailable',
      about: {
        advice: expect.stringMatching(
          /^TLS with the relay failed .*the newsletter never logs in without TLS: use a relay that offers STARTTLS, or smtps:\/\/…:465; for a relay on a network you trust, set NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1$/,
        ),
      },
    });
    expect((failure as SendError).about.advice).not.toContain(PASSWORD);
    expect(sink.auths).toEqual([]);
    expect(sink.received).toEqual([]);

    // `send-test` says the same, exit 1.
    const run = await runCli(['send-test', '1', '--to', 'editor@example.org'], tp.dir, {
      NEWSLETTER_SMTP_URL: urlFor(sink, remoteHost),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Could not send to editor@example\.org \(the SMTP server is unavailable\): TLS with the relay failed .*NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1$/,
    );
    expect(run.stderr).not.toContain(PASSWORD);
    expect(sink.auths).toEqual([]);
  }, 120_000);

  it('a non-loopback relay whose certificate does not verify gets no AUTH either (TLS to an unverified peer is not TLS)', async () => {
    const sink = await relay({ host: listenOn, starttls: true });
    await expect(mailerFor(urlFor(sink, remoteHost)).send(message)).rejects.toMatchObject({
      kind: 'unavailable',
      about: { advice: expect.stringMatching(/^the relay's TLS certificate does not verify/) },
    });
    expect(sink.auths).toEqual([]);
    expect(sink.received).toEqual([]);
  });

  it('with NEWSLETTER_SMTP_AUTH_WITHOUT_TLS=1 (a relay on a network the operator trusts) it logs in without TLS', async () => {
    const sink = await relay({ host: listenOn });
    await mailerFor(urlFor(sink, remoteHost), { NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: '1' }).send(message);
    expect(sink.auths).toEqual([
      expect.objectContaining({ username: 'newsletter', password: PASSWORD, secure: false }),
    ]);
    expect(sink.received).toHaveLength(1);
  });

  it('a loopback relay takes the login without TLS (it never leaves the machine), and inside TLS when it offers STARTTLS', async () => {
    const plain = await relay({ host: '127.0.0.1' });
    await mailerFor(urlFor(plain, '127.0.0.1')).send(message);
    expect(plain.auths).toEqual([expect.objectContaining({ username: 'newsletter', secure: false })]);
    expect(plain.received).toHaveLength(1);

    const tls = await relay({ host: '127.0.0.1', starttls: true });
    await mailerFor(urlFor(tls, 'localhost')).send(message);
    expect(tls.auths).toEqual([expect.objectContaining({ username: 'newsletter', secure: true })]);
    expect(tls.received).toHaveLength(1);
  });
});
