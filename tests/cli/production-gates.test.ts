import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { subscriberRow } from '../../src/store/subscriber-rows.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newSubscriber } from '../support/rows.ts';
import { runCli } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';

/**
 * NODE_ENV=production with what docker-compose.yml used to ship: an http base URL, the
 * placeholder postal address and a `.example` sender. `send` mailed http one-click links from
 * `@….example` and exited 0; `start` ran and wrote mail to outbox/ when no SMTP URL was set.
 * Now both send nothing while `check --production` fails, saying what it says, and production
 * uses the outbox only when NEWSLETTER_OUTBOX_DIR is set on purpose.
 */
const exec = promisify(execFile);
const AT = new Date('2026-03-02T19:30:00Z');
const REAL_POSTAL = 'Night Cramp Weekly, 4 Harbour Street, Whitby, YO21 3PR';
const REAL_FROM = 'Night Cramp Weekly <tips@night-cramp-weekly.net>';
const GATE_LINES = [
  'NEWSLETTER_BASE_URL is http://localhost:3000: production needs https (RFC 8058 one-click unsubscribe and every link in the emails): set NEWSLETTER_BASE_URL=https://your-domain.org',
  'content/series.yml:8: from.address tips@night-cramp-weekly.example is on a reserved example domain no mail server accepts: set the real sender here or NEWSLETTER_FROM="Night Cramp Weekly <tips@your-domain.org>"',
  'content/series.yml:10: postalAddress is still the placeholder ("Night Cramp Weekly, 1 Example Lane, Springfield, EX1 2MP"): set the real postal address readers can write to (anti-spam laws require one in every email)',
];
const NO_SMTP =
  'NEWSLETTER_SMTP_URL: not set, and with NODE_ENV=production emails are not written to the outbox folder unless NEWSLETTER_OUTBOX_DIR names it; e.g. NEWSLETTER_SMTP_URL=smtp://user:pass@smtp.example.org:587 (or NEWSLETTER_OUTBOX_DIR=outbox to write them to files on purpose)';

describeEachEngine('NODE_ENV=production: no email while check --production fails, no outbox by accident', (engine) => {
  const t = useTestStore(engine);
  let sink: SmtpSink;
  let shipped: TempProject;
  let ready: TempProject;
  const dbUrl = () => t.url;
  const production = (extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    NEWSLETTER_DATABASE_URL: dbUrl(),
    ...extra,
  });
  const deliveries = async () => (await t.db.selectFrom('deliveries').select('id').execute()).length;

  beforeAll(async () => {
    sink = await startSmtpSink();
    // The content as the repository ships it, and the same once the operator has set it up.
    shipped = await tempProject();
    ready = await tempProject();
    const series = path.join(ready.dir, 'content/series.yml');
    await writeFile(
      series,
      (await readFile(series, 'utf8')).replace(/^postalAddress: .*$/m, `postalAddress: ${REAL_POSTAL}`),
    );
    // Two readers due now.
    for (const email of ['ann@reader-mail.example', 'bob@reader-mail.example']) {
      const signedUp = AT.getTime() - 86_400_000;
      await t.db
        .insertInto('subscribers')
        .values(
          subscriberRow(
            newSubscriber(email, signedUp, {
              status: 'active',
              consentSource: 'cli',
              confirmedAt: signedUp,
              nextSendAt: AT.getTime() - 3_600_000,
            }),
          ),
        )
        .execute();
    }
  });
  afterEach(() => {
    sink.received.length = 0;
  });
  afterAll(async () => {
    await sink.close();
    await shipped.cleanup();
    await ready.cleanup();
  });

  it('send: the launch gates fail, so it prints them as check --production does, sends nothing, claims nothing, exit 1', async () => {
    const run = await runCli(
      ['send', '--at', AT.toISOString()],
      shipped.dir,
      production({ NEWSLETTER_SMTP_URL: sink.url }),
      AT,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      ...GATE_LINES,
      'NODE_ENV=production: `newsletter send` sends nothing while `newsletter check --production` fails; fix the 3 problems above, then run it again',
    ]);
    expect(run.stdout).toBe('');
    expect(sink.received).toEqual([]);
    expect(await deliveries()).toBe(0);
    // The lines are the ones check --production prints.
    const check = await runCli(
      ['check', '--production', '--quiet'],
      shipped.dir,
      { NEWSLETTER_DATABASE_URL: dbUrl() },
      AT,
    );
    for (const line of GATE_LINES) expect(check.stdout.split('\n')).toContain(line);
  });

  it('send: with the gates passing but no SMTP URL, one line naming NEWSLETTER_SMTP_URL; no outbox folder, nothing claimed, exit 1', async () => {
    const env = production({
      NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net',
      NEWSLETTER_FROM: REAL_FROM,
    });
    const run = await runCli(['send', '--at', AT.toISOString()], ready.dir, env, AT);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(NO_SMTP);
    expect(existsSync(path.join(ready.dir, 'outbox'))).toBe(false);
    expect(await deliveries()).toBe(0);
  });

  it('send: the outbox when NEWSLETTER_OUTBOX_DIR is set on purpose, and the relay when NEWSLETTER_SMTP_URL is: https links from the real sender', async () => {
    const env = production({
      NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net',
      NEWSLETTER_FROM: REAL_FROM,
    });
    const dir = path.join(ready.dir, 'trial-outbox');
    const trial = await runCli(
      ['send', '--at', AT.toISOString(), '--dry-run'],
      ready.dir,
      { ...env, NEWSLETTER_OUTBOX_DIR: dir },
      AT,
    );
    expect(trial.code).toBe(0);
    const outbox = await runCli(
      ['send', '--at', AT.toISOString()],
      ready.dir,
      { ...env, NEWSLETTER_OUTBOX_DIR: dir },
      AT,
    );
    expect(outbox.stderr).toBe('');
    expect(outbox.code).toBe(0);
    expect(outbox.stdout).toMatch(/^sent 2,/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(2);

    // A week on, through the relay.
    const later = new Date(AT.getTime() + 7 * 86_400_000);
    const relay = await runCli(
      ['send', '--at', later.toISOString()],
      ready.dir,
      { ...env, NEWSLETTER_SMTP_URL: sink.url },
      later,
    );
    expect(relay.stderr).toBe('');
    expect(relay.stdout).toMatch(/^sent 2,/);
    expect(sink.received).toHaveLength(2);
    for (const mail of sink.received) {
      expect(mail.parsed.from?.text).toBe('"Night Cramp Weekly" <tips@night-cramp-weekly.net>');
      expect(mail.raw).toMatch(
        /^List-Unsubscribe:\s*<https:\/\/newsletter\.night-cramp-weekly\.net\/unsubscribe\?token=/m,
      );
      expect(mail.raw).not.toMatch(/http:\/\/localhost/);
    }
  });

  it('start: with the gates failing it does not start (every role sends), printing the same lines; with them passing but no SMTP URL, one line; exit 1 and no listener either way', async () => {
    const start = (dir: string, role: string, env: Record<string, string>) =>
      exec(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start', '--role', role], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: '0',
          HOST: '127.0.0.1',
          NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
          ...env,
        },
        timeout: 60_000,
      }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const messages = (stdout: string) =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
    for (const role of ['all', 'site', 'sender']) {
      const refused = await start(shipped.dir, role, production({ NEWSLETTER_SMTP_URL: sink.url }));
      expect(refused.code, refused.stderr).toBe(1);
      // start's log lines mask addresses (the sender's too).
      expect(messages(refused.stdout)).toEqual([
        GATE_LINES[0],
        GATE_LINES[1]!
          .replaceAll('tips@night-cramp-weekly.example', '<address>')
          .replace('<tips@your-domain.org>', '<<address>>'),
        GATE_LINES[2],
        'NODE_ENV=production: `newsletter start` sends nothing while `newsletter check --production` fails; fix the 3 problems above, then run it again',
      ]);
    }
    const noSmtp = await start(
      ready.dir,
      'all',
      production({ NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net', NEWSLETTER_FROM: REAL_FROM }),
    );
    expect(noSmtp.code).toBe(1);
    expect(noSmtp.stderr.trim()).toBe(NO_SMTP);
    expect(noSmtp.stdout).not.toContain('listening on');
    expect(existsSync(path.join(ready.dir, 'outbox'))).toBe(false);
    expect(sink.received).toEqual([]);
  }, 120_000);
});
