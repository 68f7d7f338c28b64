import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { receiveMailgun, receivePostmark } from '../../src/bounces/webhooks/receive.ts';
import { kyselyBounceStore } from '../../src/store/bounces.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { repoRoot } from '../support/temp-project.ts';
import {
  SECRET,
  T,
  bounceFixture,
  readerWithTips,
  writeFixture,
  type SentTip,
  readerState,
  bounceEnv,
} from './fixtures.ts';

/**
 * Issue 20, row 2, after the SMTP conversation: a DSN or an ESP's webhook about a refusal that is
 * the sender's (5.7.1 relaying or a block list, 5.4.5 quota, 5.3.x system) changes nothing, by the
 * same table the sender uses for SMTP answers; one about the reader's address still bounces.
 */
const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const POSTMARK_AUTH = 'postmark:9f2c7d1e5a3b8c4d';
const NOW = new Date(T + 86_400_000);

/** The Postfix DSN fixture with another Status and Diagnostic-Code. */
const dsn = (tip: SentTip, status: string, diagnostic: string) =>
  bounceFixture('postfix-hard.eml', { returnPath: tip.returnPath, recipient: tip.email, messageId: tip.messageId })
    .replace(/^Status: 5\.1\.1\r$/m, `Status: ${status}\r`)
    .replace(
      /^Diagnostic-Code: smtp; 550 5\.1\.1 [^\r]*\r\n {4}User unknown in virtual mailbox table\r$/m,
      `Diagnostic-Code: smtp; ${diagnostic}\r`,
    );

describeEachEngine('DSNs and webhooks about the sender', (engine) => {
  const t = useTestStore(engine);
  let dir: string;
  let n = 0;
  const env = () => bounceEnv(t);
  const reader = async () => (await readerWithTips(t.db, `sender-fault${++n}@reader-mail.example`))[0]!;
  const stateOf = (tip: SentTip) => readerState(t.db, tip);
  const deps = () => ({ store: kyselyBounceStore(t.db), secret: SECRET });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-sender-faults-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    [
      '5.7.1',
      '554 5.7.1 <x@reader-mail.example>: Relay access denied',
      /status 5\.7\.1 is a policy refusal about the sender \(policy, relaying or a block list\)/,
    ],
    [
      '5.7.1',
      '550 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org',
      /status 5\.7\.1 is a policy refusal about the sender/,
    ],
    [
      '5.4.5',
      '550 5.4.5 Daily sending quota exceeded',
      /status 5\.4\.5 is about the sender \(routing, quota or congestion\)/,
    ],
    ['5.3.0', '554 5.3.0 Mail system configuration error', /status 5\.3\.0 is about the sender \(the mail system/],
  ])(
    'a DSN with Status %s (%s) changes nothing',
    async (status, diagnostic, why) => {
      const tip = await reader();
      const file = await writeFixture(dir, `${++n}.eml`, dsn(tip, status, diagnostic));
      const run = await runCli(['bounces', 'ingest', file], dir, env(), NOW);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(why);
      expect(await stateOf(tip)).toEqual({ status: 'active', suppressed: null });
      expect(
        await t.db.selectFrom('bounce_events').select('id').where('subscriber_id', '=', tip.subscriberId).execute(),
      ).toEqual([]);
    },
    90_000,
  );

  it('a DSN about the reader (5.1.1, or 5.0.0 with "550 user unknown") still bounces', async () => {
    for (const [status, diagnostic] of [
      ['5.1.1', '550 5.1.1 User unknown'],
      ['5.0.0', '550 User unknown'],
    ] as const) {
      const tip = await reader();
      const run = await runCli(
        ['bounces', 'ingest', await writeFixture(dir, `${++n}.eml`, dsn(tip, status, diagnostic))],
        dir,
        env(),
        NOW,
      );
      expect(run.stdout).toMatch(/: bounced: /);
      expect(await stateOf(tip)).toEqual({ status: 'bounced', suppressed: 'bounced' });
    }
  }, 90_000);

  it('Mailgun failed/permanent with 5.7.1 changes nothing; with 5.1.1 it bounces', async () => {
    const template = await readFile(
      path.join(repoRoot, 'tests/fixtures/bounces/mailgun-failed-permanent.json'),
      'utf8',
    );
    const event = (tip: SentTip, code: number, enhanced: string, message: string) => {
      const timestamp = String(Math.floor(NOW.getTime() / 1000));
      const token = randomBytes(25).toString('hex');
      const body = JSON.parse(
        template
          .replaceAll('{{TIMESTAMP}}', timestamp)
          .replaceAll('{{TOKEN}}', token)
          .replaceAll(
            '{{SIGNATURE}}',
            createHmac('sha256', MAILGUN_KEY)
              .update(timestamp + token)
              .digest('hex'),
          )
          .replaceAll('{{ID}}', randomBytes(11).toString('base64url'))
          .replaceAll('{{RECIPIENT}}', tip.email)
          .replaceAll('{{MESSAGE_ID_BARE}}', tip.messageId.slice(1, -1)),
      );
      body['event-data']['delivery-status'] = {
        ...body['event-data']['delivery-status'],
        code,
        'enhanced-code': enhanced,
        message,
      };
      return body;
    };
    const memory = new Set<string>();
    const tokens = {
      firstSight: async (k: string) => !memory.has(k) && Boolean(memory.add(k)),
      forget: async (k: string) => void memory.delete(k),
    };

    const blocked = await reader();
    const answer = await receiveMailgun(
      { ...deps(), tokens },
      { mailgunKey: MAILGUN_KEY },
      event(blocked, 550, '5.7.1', '5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org'),
      NOW,
    );
    expect(answer).toEqual({
      status: 200,
      result: {
        outcome: 'ignored',
        text: expect.stringMatching(/^Mailgun permanent failure: status 5\.7\.1 is a policy refusal about the sender/),
      },
    });
    expect(await stateOf(blocked)).toEqual({ status: 'active', suppressed: null });

    const quota = await reader();
    expect(
      await receiveMailgun(
        { ...deps(), tokens },
        { mailgunKey: MAILGUN_KEY },
        event(quota, 550, '5.4.5', 'Daily sending quota exceeded'),
        NOW,
      ),
    ).toMatchObject({ status: 200, result: { outcome: 'ignored' } });
    expect(await stateOf(quota)).toEqual({ status: 'active', suppressed: null });

    const gone = await reader();
    expect(
      await receiveMailgun(
        { ...deps(), tokens },
        { mailgunKey: MAILGUN_KEY },
        event(gone, 550, '5.1.1', 'No such user'),
        NOW,
      ),
    ).toMatchObject({ status: 200, result: { outcome: 'bounced' } });
    expect(await stateOf(gone)).toEqual({ status: 'bounced', suppressed: 'bounced' });
  });

  it("Postmark: a HardBounce whose SMTP reply is the sender's (554 5.7.1) changes nothing", async () => {
    const tip = await reader();
    const body = JSON.parse(
      (await readFile(path.join(repoRoot, 'tests/fixtures/bounces/postmark-hard-bounce.json'), 'utf8'))
        .replaceAll('{{ID}}', String(2_000_000 + n))
        .replaceAll('{{RECIPIENT}}', tip.email)
        .replaceAll('{{MESSAGE_ID}}', tip.messageId),
    );
    body.Details = 'smtp;554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org';
    const authorization = `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}`;
    expect(await receivePostmark(deps(), { postmarkAuth: POSTMARK_AUTH }, { authorization, body }, NOW)).toEqual({
      status: 200,
      result: {
        outcome: 'ignored',
        text: expect.stringMatching(/^Postmark HardBounce: status 5\.7\.1 is a policy refusal about the sender/),
      },
    });
    expect(await stateOf(tip)).toEqual({ status: 'active', suppressed: null });
  });
});
