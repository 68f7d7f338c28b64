import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressHash } from '../../src/subscription/address.ts';
import { runCli } from '../support/run-cli.ts';
import { form, linkIn, onSite, startHarness, type Harness } from '../web/harness.ts';
import { BOUNCE_ADDRESS, bounceFixture, readerWithTips, writeFixture } from './fixtures.ts';

const DAY = 86_400_000;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ env: { NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS } });
});
afterEach(() => h.close());

const cli = (...args: string[]) =>
  runCli(
    args,
    h.temp.dir,
    { NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS, NEWSLETTER_TIMEZONE: 'Europe/London' },
    h.clock.now(),
  );
const suppression = async (email: string) => (await h.store.suppression(addressHash(email)))?.reason ?? null;

/** A reader bounced by a real DSN through `bounces ingest`. */
async function bouncedReader(email: string) {
  const [tip] = await readerWithTips(h.db, email);
  const file = await writeFixture(
    h.temp.dir,
    `${email}.eml`,
    bounceFixture('postfix-hard.eml', { returnPath: tip!.returnPath, recipient: email, messageId: tip!.messageId }),
  );
  expect((await cli('bounces', 'ingest', file)).code).toBe(0);
  expect((await h.subscriber(email))?.status).toBe('bounced');
  return tip!;
}

describe('newsletter subscribers unbounce', () => {
  it('returns a bounced reader to active with a reason kept; their soft-bounce count starts again', async () => {
    const email = 'fixed-mailbox@reader-mail.example';
    const tips = await readerWithTips(h.db, email, ['week-1', 'week-2', 'week-3']);
    const soft = (i: number, name: string) =>
      writeFixture(
        h.temp.dir,
        name,
        bounceFixture('postfix-delayed.eml', {
          returnPath: tips[i]!.returnPath,
          recipient: email,
          messageId: tips[i]!.messageId,
        }),
      );
    for (const i of [0, 1, 2]) expect((await cli('bounces', 'ingest', await soft(i, `soft-${i}.eml`))).code).toBe(0);
    expect((await h.subscriber(email))?.status).toBe('bounced');

    const run = await cli('subscribers', 'unbounce', email, '--reason', 'reader phoned: mailbox fixed');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${email} is active again (was bounced); reason recorded: reader phoned: mailbox fixed`);
    const s = await h.subscriber(email);
    expect(s).toMatchObject({ status: 'active' });
    expect(s!.nextSendAt).toBeGreaterThan(h.clock.now().getTime());
    expect(await suppression(email)).toBeNull();
    const lifted = await h.db
      .selectFrom('bounce_events')
      .select(['kind', 'source', 'detail'])
      .where('subscriber_id', '=', s!.id)
      .where('kind', '=', 'lifted')
      .execute();
    expect(lifted).toEqual([{ kind: 'lifted', source: 'operator', detail: 'reader phoned: mailbox fixed' }]);

    // One more soft bounce is the first after the lift, not the fourth in 30 days.
    h.clock.advance(DAY);
    const again = await cli('bounces', 'ingest', await soft(2, 'soft-again.eml'));
    expect(again.stdout).toMatch(/soft: .*soft bounce 1 of 3/);
    expect((await h.subscriber(email))?.status).toBe('active');

    // The reader's own data export lists what was reported about them; erasing them erases it.
    const exported = await h.subscriptions.exportData((await h.subscriber(email))!, h.clock.now());
    expect(exported.bounces.map((b) => b.kind)).toEqual(['soft', 'soft', 'soft', 'lifted', 'soft']);
    expect(JSON.stringify(exported.bounces)).not.toContain(email);
    expect((await cli('subscribers', 'remove', email)).code).toBe(0);
    expect(await h.db.selectFrom('bounce_events').select('id').where('subscriber_id', '=', s!.id).execute()).toEqual(
      [],
    );
  });

  it('changes nothing for a reader who is not bounced, or not on the list', async () => {
    await readerWithTips(h.db, 'fine@reader-mail.example');
    const active = await cli('subscribers', 'unbounce', 'fine@reader-mail.example');
    expect(active.code).toBe(1);
    expect(active.stderr).toBe('fine@reader-mail.example is active, not bounced; nothing changed');
    const missing = await cli('subscribers', 'unbounce', 'nobody@reader-mail.example');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not on the list; nothing to unbounce/);
  });
});

describe('a bounced reader comes back through the site', () => {
  it('subscribing again sends a confirmation; confirming makes them active with renewed consent', async () => {
    const email = 'back-again@reader-mail.example';
    await bouncedReader(email);
    h.clock.advance(DAY);
    expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
    const [confirmation] = await h.mailTo(email);
    expect((await h.subscriber(email))?.status).toBe('bounced');
    const confirmed = await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), {
      method: 'POST',
      headers: { 'user-agent': 'reader-browser' },
    });
    expect(confirmed.status).toBe(200);
    const s = await h.subscriber(email);
    expect(s).toMatchObject({
      status: 'active',
      consentAt: h.clock.now().getTime(),
      consentUserAgent: 'reader-browser',
      consentSource: 'web',
    });
    expect(await suppression(email)).toBeNull();
  });
});

describe('a reader who complained', () => {
  it('cannot be unbounced by the operator, but comes back by subscribing again and confirming', async () => {
    const email = 'changed-mind@reader-mail.example';
    const [tip] = await readerWithTips(h.db, email);
    const arf = await writeFixture(
      h.temp.dir,
      'arf.eml',
      bounceFixture('arf-yahoo.eml', { returnPath: tip!.returnPath, recipient: email, messageId: tip!.messageId }),
    );
    expect((await cli('bounces', 'ingest', arf)).stdout).toMatch(/complained: .*unsubscribed and suppressed/);
    const unbounce = await cli('subscribers', 'unbounce', email);
    expect(unbounce.code).toBe(1);
    expect(unbounce.stderr).toBe(`${email} is complained, not bounced; nothing changed`);
    h.clock.advance(DAY);
    await form(`${h.url}/subscribe`, { email });
    const [confirmation] = await h.mailTo(email);
    expect((await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' })).status).toBe(200);
    expect((await h.subscriber(email))?.status).toBe('active');
    expect(await suppression(email)).toBeNull();
  });
});

describe('newsletter subscribers add, for a suppressed address', () => {
  it('says what can bring each one back, and nothing that is false', async () => {
    const email = 'bounced-add@reader-mail.example';
    await bouncedReader(email);
    const bounced = await cli('subscribers', 'add', email);
    expect(bounced.code).toBe(1);
    expect(bounced.stderr).toBe(
      `${email} is on the suppression list: their address bounced; if the mailbox works again, run \`newsletter subscribers unbounce EMAIL --reason '…'\`, or they can subscribe again on the site and confirm`,
    );
    await h.store.suppress(addressHash('removed@reader-mail.example'), 'operator', h.clock.now().getTime());
    const removed = await cli('subscribers', 'add', 'removed@reader-mail.example');
    expect(removed.stderr).toMatch(/an operator removed them .*neither the site nor import brings them back/);
    expect(removed.stderr).not.toMatch(/subscribe again on the site/);
  });
});
