import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { BOUNCE_ADDRESS, SECRET, bounceFixture, writeFixture } from './fixtures.ts';

/**
 * Most hard bounces a sign-up form meets are mistyped addresses, and the first email such an
 * address gets is the confirmation. Confirmations and welcomes carry a signed return path of their
 * own (and are found by their Message-ID too), so their bounces count like a tip's.
 */
describeEachEngine('bounces of confirmations and welcomes', (engine) => {
  const t = useTestStore(engine);
  let tp: TempProject;
  let sink: SmtpSink;
  let app: App;
  const now = new Date('2026-11-29T12:00:00Z');
  const env = () => ({
    NEWSLETTER_DATABASE_URL: t.url,
    NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS,
    NEWSLETTER_SECRET: SECRET,
  });

  beforeAll(async () => {
    tp = await tempProject();
    sink = await startSmtpSink();
    app = openApp({ cwd: tp.dir, env: { ...env(), NEWSLETTER_SMTP_URL: sink.url }, now: () => now });
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
    await tp.cleanup();
  });

  const received = (email: string) => sink.received.filter((m) => m.envelopeTo[0] === email);
  const stateOf = async (email: string) => {
    const s = await t.db
      .selectFrom('subscribers')
      .select(['id', 'status'])
      .where('email_normalized', '=', email)
      .executeTakeFirstOrThrow();
    const suppression = await t.db
      .selectFrom('suppressions')
      .select('reason')
      .where('email_hash', '=', addressHash(email))
      .executeTakeFirst();
    const events = await t.db
      .selectFrom('bounce_events')
      .select(['kind', 'delivery_id'])
      .where('subscriber_id', '=', s.id)
      .execute();
    return { status: s.status, suppressed: suppression?.reason ?? null, events };
  };
  const ingest = async (name: string, mail: { envelopeFrom: string; email: string; messageId: string }) => {
    const file = await writeFixture(
      tp.dir,
      `${mail.email}-${name}`,
      bounceFixture(name, { returnPath: mail.envelopeFrom, recipient: mail.email, messageId: mail.messageId }),
    );
    return runCli(['bounces', 'ingest', file], tp.dir, env(), new Date(now.getTime() + 3_600_000));
  };

  it('a confirmation to a mistyped address bounces: found by its return path, the address suppressed', async () => {
    const subscriptions = await app.subscriptions();
    const email = 'typo@reader-mail.example';
    const added = await subscriptions.subscribe({ email, source: 'web' }, now);
    expect(added).toMatchObject({ ok: true });
    if (added.ok) await added.send?.();
    const [confirmation] = received(email);
    expect(confirmation).toBeDefined();
    // The envelope sender names this email, signed; the From stays the newsletter's.
    expect(confirmation!.envelopeFrom).toMatch(/^bounces\+[a-z0-9]+-[a-z0-9]+-[0-9a-f]{24}@night-cramp\.example$/);
    const run = await ingest('postfix-hard.eml', {
      envelopeFrom: confirmation!.envelopeFrom,
      email,
      messageId: confirmation!.parsed.messageId!,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(': bounced: ***@reader-mail.example (confirm email), found by return path');
    expect(await stateOf(email)).toEqual({
      status: 'bounced',
      suppressed: 'bounced',
      events: [{ kind: 'hard', delivery_id: null }],
    });
  });

  it('a welcome that bounces, reported with its Message-ID only: the active reader is bounced', async () => {
    const subscriptions = await app.subscriptions();
    const email = 'gone@reader-mail.example';
    const added = await subscriptions.add({ email, confirmed: true, source: 'cli', welcome: true }, now);
    if (added.ok) await added.send?.();
    const [welcome] = received(email);
    expect(welcome?.parsed.subject).toMatch(/^Welcome/);
    expect((await stateOf(email)).status).toBe('active');
    // gmail-hard.eml names no return path: the original Message-ID is all it has.
    const run = await ingest('gmail-hard.eml', {
      envelopeFrom: 'someone-else@example.net',
      email,
      messageId: welcome!.parsed.messageId!,
    });
    expect(run.stdout).toContain(': bounced: ***@reader-mail.example (welcome email), found by Message-ID');
    expect(await stateOf(email)).toMatchObject({ status: 'bounced', suppressed: 'bounced' });
  });
});
