import { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliveryPassFor, subscriptionsFor } from '../../src/app.ts';
import { previousSecrets, resolveSecret } from '../../src/config.ts';
import { kyselyBounceStore } from '../../src/store/bounces.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { startScheduler } from '../../src/schedule/scheduler.ts';
import type { Database } from '../../src/store/schema.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import { openTestDatabase, sinkProject } from '../delivery/helpers.ts';
import { dovecotMissing, startDovecot, type Dovecot } from '../support/dovecot.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { TempProject } from '../support/temp-project.ts';
import { BOUNCE_ADDRESS, T, bounceFixture, readerWithTips, type SentTip } from './fixtures.ts';

const missing = dovecotMissing();
if (missing) console.warn(`[IMAP tests skipped] ${missing}`);

describe.skipIf(missing !== undefined)('the return-path mailbox, polled over IMAP (Dovecot)', () => {
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let tp: TempProject;
  let db: Kysely<Database>;
  let mailer: Mailer;
  let project: Project;
  const now = () => new Date(T + 86_400_000);

  beforeAll(async () => {
    dovecot = await startDovecot();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await dovecot?.stop();
  });
  beforeEach(async () => {
    ({ tp, mailer } = await sinkProject(sink.url, 1, { NEWSLETTER_BOUNCE_ADDRESS: BOUNCE_ADDRESS }));
    db = await openTestDatabase(tp.config);
    project = await loadProject(tp.config);
  });
  afterEach(async () => {
    await mailer.close();
    await db.destroy();
    await tp.cleanup();
  });

  async function withImap<T>(use: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.logout();
    }
  }
  const count = (folder: string) =>
    withImap(async (c) => {
      const status = await c.status(folder, { messages: true }).catch(() => false as const);
      return status ? (status.messages ?? 0) : 0;
    });
  const deliver = (name: string, tip: SentTip) =>
    withImap((c) =>
      c.append(
        'INBOX',
        bounceFixture(name, { returnPath: tip.returnPath, recipient: tip.email, messageId: tip.messageId }),
      ),
    );
  const statusOf = async (tip: SentTip) =>
    (await db.selectFrom('subscribers').select('status').where('id', '=', tip.subscriberId).executeTakeFirstOrThrow())
      .status;

  function scheduler(url: string, log: string[]) {
    return subscriptionsFor(tp.config, {
      store: createSubscriberStore(db),
      mailer,
      project,
      secret: resolveSecret(tp.config),
    }).then((subscriptions) =>
      deliveryPassFor(tp.config, { db, mailer: async () => mailer, secret: () => resolveSecret(tp.config) }).then(
        (pass) =>
          startScheduler({
            cron: '0 0 1 1 *',
            pass,
            subscriptions,
            bounceMailbox: {
              url,
              deps: async () => ({
                store: kyselyBounceStore(db),
                secret: resolveSecret(tp.config),
                previousSecrets: previousSecrets(tp.config),
              }),
            },
            now,
            log: (l) => log.push(l),
            loadProject: async () => project,
          }),
      ),
    );
  }

  it("the sender's tick applies what arrived and moves it out of the inbox: applied to the processed folder, unmatched to the unmatched one", async () => {
    const [hard] = await readerWithTips(db, 'imap-hard@reader-mail.example');
    const [spam] = await readerWithTips(db, 'imap-spam@reader-mail.example');
    const [soft] = await readerWithTips(db, 'imap-soft@reader-mail.example');
    await deliver('postfix-hard.eml', hard!);
    await deliver('arf-yahoo.eml', spam!);
    await deliver('postfix-delayed.eml', soft!);
    await deliver('auto-reply.eml', soft!);
    expect(await count('INBOX')).toBe(4);

    const log: string[] = [];
    const s = await scheduler(`${dovecot.url('INBOX')}?processed=Done&unmatched=Look`, log);
    await s.tick();
    expect(await statusOf(hard!)).toBe('bounced');
    expect(await statusOf(spam!)).toBe('complained');
    expect(await statusOf(soft!)).toBe('active');
    expect(await count('INBOX')).toBe(0);
    expect(await count('Done')).toBe(3);
    expect(await count('Look')).toBe(1);
    expect(log).toContain(
      '[scheduler] bounce mailbox: 3 applied, 1 not matched to a reader (moved to Look), 0 left for the next tick',
    );
    expect(log.join('\n')).not.toContain('imap-');
    expect(log.join('\n')).not.toContain(dovecot.password);

    // Nothing new: the next tick reads an empty inbox and says nothing about it.
    log.length = 0;
    await s.tick();
    expect(log.filter((l) => l.includes('bounce mailbox'))).toEqual([]);
    await s.stop();
  });

  it('a mailbox that refuses the login is logged without the password; the pass still runs and the next tick tries again', async () => {
    const log: string[] = [];
    const wrong = dovecot.url('INBOX').replace(dovecot.password, 'not-the-password');
    const s = await scheduler(wrong, log);
    expect(await s.tick()).toMatchObject({ sent: 0 });
    const line = log.find((l) => l.includes('bounce mailbox'));
    expect(line).toMatch(/bounce mailbox 127\.0\.0\.1:\d+\/INBOX could not be read: .*; the next tick tries again/);
    expect(line).not.toContain('not-the-password');
    await s.stop();
  });
});
