import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempProject } from '../support/use-resource.ts';

/**
 * Issue 20, row 16: `NEWSLETTER_SMTP_URL=smtp://127.0.0.1:/some/path` was accepted and mail went
 * to port 587. Only scheme, credentials, host and port mean anything to the mailer: the rest is
 * refused with the usual one line (the variable, the problem, a good example; password masked).
 */
const line = (problem: string, shown: string) =>
  `NEWSLETTER_SMTP_URL: must be smtp://user:pass@host:587 or smtps://user:pass@host:465 (${problem}) (got "${shown}"); e.g. NEWSLETTER_SMTP_URL=smtp://user:pass@smtp.example.org:587`;

describe('NEWSLETTER_SMTP_URL', () => {
  it.each([
    [
      'smtp://127.0.0.1:/some/path',
      'an empty port: give a number or leave out the colon',
      'smtp://127.0.0.1:/some/path',
    ],
    ['smtp://relay.example.org:', 'an empty port: give a number or leave out the colon', 'smtp://relay.example.org:'],
    [
      'smtp://user:hunter2-secret@relay.example.org:587/some/path',
      'a path, which SMTP has no use for',
      'smtp://user:***@relay.example.org:587/some/path',
    ],
    ['smtp://relay.example.org:587?tls=off', 'a query, which is not read', 'smtp://relay.example.org:587?tls=off'],
    ['smtp://relay.example.org:587#x', 'a fragment', 'smtp://relay.example.org:587#x'],
    ['smtp://relay.example.org:0', 'port 0', 'smtp://relay.example.org:0'],
    ['http://relay.example.org:587', 'the scheme is http', 'http://relay.example.org:587'],
    ['smtp://user:hunter2-secret@relay.example.org:99999', 'not a URL', 'smtp://user:***@relay.example.org:99999'],
  ])('%s is refused', (url, problem, shown) => {
    expect(() => loadConfig({ NEWSLETTER_SMTP_URL: url }, '/tmp')).toThrow(new ConfigError(line(problem, shown)));
  });

  it.each([
    'smtp://relay.example.org',
    'smtp://relay.example.org:25',
    'smtp://user:pass@relay.example.org:587/',
    'smtps://user:p%40ss@relay.example.org:465',
    'smtp://[::1]:2525',
  ])('%s is taken', (url) => {
    expect(loadConfig({ NEWSLETTER_SMTP_URL: url }, '/tmp').smtpUrl).toBe(url);
  });

  describe('in a command', () => {
    const tp = useTempProject();

    it('`newsletter send` stops before anything with that one line, exit 1', async () => {
      const run = await runCli(['send'], tp.dir, { NEWSLETTER_SMTP_URL: 'smtp://127.0.0.1:/some/path' });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        line('an empty port: give a number or leave out the colon', 'smtp://127.0.0.1:/some/path'),
      );
      expect(run.stdout).toBe('');
    }, 90_000);
  });
});
