import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addressHash } from '../../src/subscription/address.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { repoRoot } from '../support/temp-project.ts';
import { BOUNCE_ADDRESS, T, bounceFixture, readerWithTips, writeFixture, type SentTip, bounceEnv } from './fixtures.ts';

describeEachEngine('newsletter bounces ingest', (engine) => {
  const t = useTestStore(engine);
  let dir: string;
  let n = 0;
  const env = () => bounceEnv(t);
  const now = new Date(T + 86_400_000);
  const ingest = (...files: string[]) => runCli(['bounces', 'ingest', ...files], dir, env(), now);
  const reader = async (email: string, slugs?: string[]) => readerWithTips(t.db, email, slugs);
  const fixtureFor = (
    name: string,
    tip: SentTip,
    extra: { reportId?: string; returnPath?: string; messageId?: string } = {},
  ) =>
    writeFixture(
      dir,
      `${++n}-${name}`,
      bounceFixture(name, {
        returnPath: extra.returnPath ?? tip.returnPath,
        recipient: tip.email,
        messageId: extra.messageId ?? tip.messageId,
        ...(extra.reportId ? { reportId: extra.reportId } : {}),
      }),
    );
  const stateOf = async (tip: SentTip) => {
    const s = await t.db
      .selectFrom('subscribers')
      .select(['status', 'next_send_at'])
      .where('id', '=', tip.subscriberId)
      .executeTakeFirstOrThrow();
    const suppression = await t.db
      .selectFrom('suppressions')
      .select('reason')
      .where('email_hash', '=', addressHash(tip.email))
      .executeTakeFirst();
    return { status: s.status, suppressed: suppression?.reason ?? null };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-bounces-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['postfix-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['exim-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['outlook-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['gmail-hard.eml', 'bounced', 'Message-ID', { status: 'bounced', suppressed: 'bounced' }],
    ['postfix-delayed.eml', 'soft', 'return path', { status: 'active', suppressed: null }],
    ['arf-yahoo.eml', 'complained', 'return path', { status: 'complained', suppressed: 'complained' }],
    ['arf-aol.eml', 'complained', 'Message-ID', { status: 'complained', suppressed: 'complained' }],
    // Plain-text bounces (no multipart/report): qmail always, Exim and Sendmail without DSNs,
    // Exchange through a gateway that flattens its report.
    ['qmail-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['qmail-remote-expired.eml', 'soft', 'return path', { status: 'active', suppressed: null }],
    ['exim-plain-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['exim-plain-delayed.eml', 'soft', 'return path', { status: 'active', suppressed: null }],
    ['sendmail-plain-hard.eml', 'bounced', 'return path', { status: 'bounced', suppressed: 'bounced' }],
    ['exchange-plain-hard.eml', 'bounced', 'Message-ID', { status: 'bounced', suppressed: 'bounced' }],
  ] as const)('%s: %s, the reader found by %s', async (name, outcome, how, state) => {
    const [tip] = await reader(`${name.replace('.eml', '')}@reader-mail.example`);
    const file = await fixtureFor(name, tip!);
    const run = await ingest(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`: ${outcome}: ***@reader-mail.example (stretch-before-bed), found by ${how}`);
    // The service's words name no reader.
    expect(run.stdout).not.toContain(tip!.email);
    expect(await stateOf(tip!)).toEqual(state);
    const events = await t.db
      .selectFrom('bounce_events')
      .select(['kind', 'delivery_id', 'detail'])
      .where('subscriber_id', '=', tip!.subscriberId)
      .execute();
    expect(events).toEqual([
      expect.objectContaining({
        kind: outcome === 'bounced' ? 'hard' : outcome === 'complained' ? 'complaint' : 'soft',
        delivery_id: tip!.deliveryId,
      }),
    ]);
    expect(events[0]!.detail ?? '').not.toContain(tip!.email);
  });

  it('a policy block about the sender (5.7.26) and an auto-reply change nothing', async () => {
    const [tip] = await reader('policy@reader-mail.example');
    const blocked = await ingest(await fixtureFor('gmail-policy-block.eml', tip!));
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toMatch(/ignored: status 5\.7\.26 is a policy refusal about the sender/);
    const reply = await ingest(await fixtureFor('auto-reply.eml', tip!));
    expect(reply.code).toBe(1);
    expect(reply.stderr).toMatch(
      /unknown: not a delivery report or complaint \(Content-Type text\/plain\); nothing changed/,
    );
    expect(await stateOf(tip!)).toEqual({ status: 'active', suppressed: null });
  });

  it('plain-text bounces keep the status code and say which mail system wrote them', async () => {
    const cases = [
      ['qmail-hard.eml', 'hard', '5.1.1', /^qmail: Sorry, no mailbox here by that name\. \(#5\.1\.1\)$/],
      ['qmail-remote-expired.eml', 'soft', '4.2.2', /^qmail: Remote host said: 452 4\.2\.2 Mailbox full/],
      ['exim-plain-hard.eml', 'hard', '5.1.1', /^Exim: 550 5\.1\.1 <<address>>: Recipient address rejected/],
      [
        'sendmail-plain-hard.eml',
        'hard',
        '5.1.1',
        /^Sendmail: \(reason: 550 5\.1\.1 <<address>>\.\.\. User unknown\)$/,
      ],
      [
        'exchange-plain-hard.eml',
        'hard',
        '5.1.1',
        /^Exchange: Remote Server returned '550 5\.1\.1 RESOLVER\.ADR\.RecipNotFound; not found'$/,
      ],
    ] as const;
    for (const [name, kind, status, detail] of cases) {
      const [tip] = await reader(`status-${name.replace('.eml', '')}@reader-mail.example`);
      expect((await ingest(await fixtureFor(name, tip!))).code).toBe(0);
      const event = await t.db
        .selectFrom('bounce_events')
        .select(['kind', 'source', 'status', 'detail'])
        .where('subscriber_id', '=', tip!.subscriberId)
        .executeTakeFirstOrThrow();
      expect({ ...event, detail: undefined }).toEqual({ kind, source: 'plain-text', status, detail: undefined });
      expect(event.detail).toMatch(detail);
    }
  });

  it('a plain-text policy refusal (5.7.1) is about the sender and changes nothing', async () => {
    const [tip] = await reader('plain-policy@reader-mail.example');
    const run = await ingest(await fixtureFor('exim-plain-policy.eml', tip!));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ignored: Exim bounce: status 5\.7\.1 is a policy refusal about the sender/);
    expect(await stateOf(tip!)).toEqual({ status: 'active', suppressed: null });
  });

  it('a plain-text bounce is never applied on the address in its text alone: unsigned return path, unknown Message-ID', async () => {
    const [tip] = await reader('plain-unsigned@reader-mail.example');
    for (const name of [
      'qmail-hard.eml',
      'exim-plain-hard.eml',
      'sendmail-plain-hard.eml',
      'exchange-plain-hard.eml',
    ]) {
      const run = await ingest(
        await fixtureFor(name, tip!, { returnPath: BOUNCE_ADDRESS, messageId: '<someone-else@elsewhere.example>' }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /unknown: (hard|soft) plain-text report not applied: its original Message-ID is not one this newsletter sent; nothing changed/,
      );
    }
    expect(await stateOf(tip!)).toEqual({ status: 'active', suppressed: null });
    expect(
      await t.db.selectFrom('bounce_events').select('id').where('subscriber_id', '=', tip!.subscriberId).execute(),
    ).toEqual([]);
  });

  it('an unsigned or forged return path with a Message-ID we never sent is reported and changes nothing', async () => {
    const [tip] = await reader('forged@reader-mail.example');
    const forged = tip!.returnPath.replace(
      /-([0-9a-f]{24})@/,
      (_m, sig: string) => `-${sig.replace(/^./, (c) => (c === '0' ? '1' : '0'))}@`,
    );
    const run = await ingest(
      await fixtureFor('postfix-hard.eml', tip!, { returnPath: forged, messageId: '<someone-else@elsewhere.example>' }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /unknown: hard dsn report not applied: return path token not signed by this newsletter \(bad-signature\); its original Message-ID is not one this newsletter sent; nothing changed/,
    );
    expect(await stateOf(tip!)).toEqual({ status: 'active', suppressed: null });
    expect(
      await t.db.selectFrom('bounce_events').select('id').where('subscriber_id', '=', tip!.subscriberId).execute(),
    ).toEqual([]);
  });

  it(`soft bounces: counted once per message; the third message's soft bounce in 30 days bounces the reader; the same report twice counts once`, async () => {
    const tips = await reader('full@reader-mail.example', ['week-1', 'week-2', 'week-3']);
    const first = await fixtureFor('postfix-delayed.eml', tips[0]!, { reportId: 'soft-a' });
    expect((await ingest(first)).stdout).toMatch(/soft: .*soft bounce 1 of 3/);
    expect((await ingest(first)).stdout).toMatch(/duplicate: .*applied before/);
    // A second notice about the same message (Postfix warns, then gives up) is still one message.
    expect((await ingest(await fixtureFor('postfix-delayed.eml', tips[0]!, { reportId: 'soft-b' }))).stdout).toMatch(
      /soft bounce 1 of 3/,
    );
    expect((await ingest(await fixtureFor('postfix-delayed.eml', tips[1]!))).stdout).toMatch(/soft bounce 2 of 3/);
    expect(await stateOf(tips[0]!)).toEqual({ status: 'active', suppressed: null });
    const third = await ingest(await fixtureFor('postfix-delayed.eml', tips[2]!));
    expect(third.stdout).toMatch(/bounced: .*3 soft bounces in 30 days; bounced and suppressed/);
    expect(await stateOf(tips[0]!)).toEqual({ status: 'bounced', suppressed: 'bounced' });
  });

  it('several files in one run: each applied, one bad file does not stop the others', async () => {
    const [a] = await reader('many-a@reader-mail.example');
    const [b] = await reader('many-b@reader-mail.example');
    const run = await ingest(
      await fixtureFor('postfix-hard.eml', a!),
      path.join(dir, 'missing.eml'),
      await fixtureFor('exim-hard.eml', b!),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/missing\.eml: cannot read/);
    expect((await stateOf(a!)).status).toBe('bounced');
    expect((await stateOf(b!)).status).toBe('bounced');
  });

  it('reads stdin (an MTA pipe) in the compiled command', async () => {
    const [tip] = await reader('piped@reader-mail.example');
    const message = bounceFixture('postfix-hard.eml', {
      returnPath: tip!.returnPath,
      recipient: tip!.email,
      messageId: tip!.messageId,
    });
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'bounces', 'ingest', '-'], {
      cwd: dir,
      env: { ...process.env, ...env() },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(message);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^stdin: bounced: /);
    expect((await stateOf(tip!)).status).toBe('bounced');
  }, 30_000);
});
