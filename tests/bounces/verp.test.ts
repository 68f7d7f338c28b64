import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryOfReturnPath, returnPathFor, systemReturnPathFor } from '../../src/bounces/verp.ts';
import { loadConfig } from '../../src/config.ts';
import { insertSubscribers, openTestDatabase, pass, sinkProject } from '../delivery/helpers.ts';
import { loadProject } from '../../src/render/project.ts';
import { runCli } from '../support/run-cli.ts';
import { BOUNCE_ADDRESS, SECRET, T, bounceFixture } from './fixtures.ts';
import { useSmtpSink } from '../support/use-resource.ts';

describe('VERP return paths', () => {
  const now = new Date(T);
  it('name the delivery, are signed, fit a 64-character local part and survive lower-casing', () => {
    const address = returnPathFor(BOUNCE_ADDRESS, SECRET, 123_456_789, now);
    expect(address).toMatch(/^bounces\+[a-z0-9]+-[a-z0-9]+-[0-9a-f]{24}@night-cramp\.example$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(deliveryOfReturnPath(address, SECRET, now)).toEqual({ ok: true, deliveryId: 123_456_789 });
    expect(deliveryOfReturnPath(address.toUpperCase(), SECRET, now)).toEqual({ ok: true, deliveryId: 123_456_789 });
  });
  it('refuse another key, another id, an expired token, and say nothing of plain addresses', () => {
    const address = returnPathFor(BOUNCE_ADDRESS, SECRET, 42, now);
    expect(deliveryOfReturnPath(address, 'another-secret-that-is-32-bytes-long!!!', now)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/bad-signature/),
    });
    expect(deliveryOfReturnPath(address.replace('bounces+16-', 'bounces+17-'), SECRET, now)).toMatchObject({
      ok: false,
    });
    expect(deliveryOfReturnPath(address, SECRET, new Date(T + 366 * 86_400_000))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/expired/),
    });
    expect(deliveryOfReturnPath(BOUNCE_ADDRESS, SECRET, now)).toBeUndefined();
  });
  it("name a system email with a token of its own purpose: the same number is never taken for a tip delivery's", () => {
    const system = systemReturnPathFor(BOUNCE_ADDRESS, SECRET, 42, now);
    expect(system).not.toBe(returnPathFor(BOUNCE_ADDRESS, SECRET, 42, now));
    expect(deliveryOfReturnPath(system, SECRET, now)).toEqual({ ok: true, systemEmailId: 42 });
    expect(deliveryOfReturnPath(returnPathFor(BOUNCE_ADDRESS, SECRET, 42, now), SECRET, now)).toEqual({
      ok: true,
      deliveryId: 42,
    });
    expect(deliveryOfReturnPath(system, SECRET, new Date(T + 366 * 86_400_000))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/expired/),
    });
    expect(deliveryOfReturnPath(system, 'another-secret-that-is-32-bytes-long!!!', now)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/bad-signature/),
    });
  });
});

describe('NEWSLETTER_BOUNCE_ADDRESS', () => {
  it('is checked at start-up with an example of a good value', () => {
    expect(() => loadConfig({ NEWSLETTER_BOUNCE_ADDRESS: 'Bounces <bounces@example.org>' })).toThrow(
      /NEWSLETTER_BOUNCE_ADDRESS: must be a plain address without \+ or a name .*e\.g\. NEWSLETTER_BOUNCE_ADDRESS=bounces@example\.org/,
    );
    expect(() => loadConfig({ NEWSLETTER_BOUNCE_ADDRESS: 'bounces+x@example.org' })).toThrow(
      /NEWSLETTER_BOUNCE_ADDRESS/,
    );
    expect(() => loadConfig({ NEWSLETTER_BOUNCE_ADDRESS: 'a-very-long-bounce-mailbox-name@example.org' })).toThrow(
      /at most 20 characters/,
    );
    expect(loadConfig({ NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS }).bounceAddress).toBe(BOUNCE_ADDRESS);
  });
  it('the other bounce settings name the variable and never echo a secret', () => {
    expect(() => loadConfig({ NEWSLETTER_BOUNCE_IMAP_URL: 'http://user:hunter2secret@imap.example.org' })).toThrow(
      /^NEWSLETTER_BOUNCE_IMAP_URL: must be imaps:/,
    );
    expect(() => loadConfig({ NEWSLETTER_BOUNCE_IMAP_URL: 'http://user:hunter2secret@imap.example.org' })).not.toThrow(
      /hunter2/,
    );
    expect(() => loadConfig({ NEWSLETTER_WEBHOOK_POSTMARK_AUTH: 'justapassword' })).toThrow(
      /^NEWSLETTER_WEBHOOK_POSTMARK_AUTH: must be user:password/,
    );
    expect(() => loadConfig({ NEWSLETTER_WEBHOOK_POSTMARK_AUTH: 'pm:short' })).not.toThrow(/pm:short/);
    expect(() => loadConfig({ NEWSLETTER_WEBHOOK_MAILGUN_KEY: 'short' })).toThrow(
      /^NEWSLETTER_WEBHOOK_MAILGUN_KEY: must be Mailgun's/,
    );
  });
});

describe('a tip sent with a VERP return path, and its bounce coming back', () => {
  const sink = useSmtpSink();
  beforeEach(() => {
    sink.received.length = 0;
  });
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("goes out with MAIL FROM bounces+<signed id>, and the DSN to that address bounces exactly that reader's delivery", async () => {
    const { tp, mailer } = await sinkProject(sink.url, 2, { NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS });
    const db = await openTestDatabase(tp.config);
    cleanup = async () => {
      await mailer.close();
      await db.destroy();
      await tp.cleanup();
    };
    await insertSubscribers(db, [
      { email: 'ann@reader-mail.example', nextSendAt: T },
      { email: 'bob@reader-mail.example', nextSendAt: T },
    ]);
    const summary = await pass(db, mailer, await loadProject(tp.config), tp.config, T);
    expect(summary.sent).toBe(2);
    const toBob = sink.received.find((m) => m.envelopeTo[0] === 'bob@reader-mail.example')!;
    expect(toBob.envelopeFrom).toMatch(/^bounces\+[a-z0-9]+-[a-z0-9]+-[0-9a-f]{24}@night-cramp\.example$/);
    // The From header is still the newsletter's; only the envelope changes.
    expect(toBob.parsed.from?.text).not.toContain('bounces');
    const bob = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['deliveries.id', 'deliveries.message_id'])
      .where('subscribers.email', '=', 'bob@reader-mail.example')
      .executeTakeFirstOrThrow();
    expect(deliveryOfReturnPath(toBob.envelopeFrom, SECRET, new Date(T))).toEqual({ ok: true, deliveryId: bob.id });

    // The relay's DSN goes to that envelope sender; it quotes no Message-ID, only the return path identifies Bob.
    const dsn = bounceFixture('postfix-hard.eml', {
      returnPath: toBob.envelopeFrom,
      recipient: 'bob@reader-mail.example',
      messageId: '<not-quoted@relay.example>',
    });
    const file = path.join(tp.dir, 'dsn.eml');
    await writeFile(file, dsn);
    const run = await runCli(
      ['bounces', 'ingest', file],
      tp.dir,
      { NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS },
      new Date(T + 3_600_000),
    );
    expect(run.code).toBe(0);
    const statuses = await db.selectFrom('subscribers').select(['email', 'status']).orderBy('email').execute();
    expect(statuses).toEqual([
      { email: 'ann@reader-mail.example', status: 'active' },
      { email: 'bob@reader-mail.example', status: 'bounced' },
    ]);
  });
});
