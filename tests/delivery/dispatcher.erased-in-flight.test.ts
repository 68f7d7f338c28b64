import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { databaseUrl, newsletterProcess } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { insertSubscribers, loadProject, pass } from './helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);
const READERS = 40;
const emails = Array.from({ length: READERS }, (_, i) => `reader${String(i).padStart(2, '0')}@example.org`);
// Erased while their tip is on its way: one the relay takes, one it defers, one it refuses.
const TAKEN = emails[5]!;
const DEFERRED = emails[17]!;
const REFUSED = emails[29]!;

/**
 * Issue 20, row 13: a reader erased their data while their tip was in flight. The settle then
 * wrote an attempt for a delivery that was gone: "FOREIGN KEY constraint failed" stopped the pass
 * (the readers after them waited), and the summary counted a message the ledger no longer had.
 */
describeEachEngine('a reader erased while their tip is in flight', (engine) => {
  const t = useTestStore(engine);
  let sink: SmtpSink;
  let tp: TempProject;

  beforeAll(async () => {
    sink = await startSmtpSink({ parse: false });
    sink.setRule((address) =>
      address === DEFERRED
        ? { code: 451, message: '4.2.0 try again later' }
        : address === REFUSED
          ? { code: 550, message: '5.1.1 no such mailbox' }
          : undefined,
    );
    tp = await tempProject({ NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_SMTP_POOL: '3' });
  });
  afterAll(async () => {
    await sink.close();
    await tp.cleanup();
  });

  /**
   * The production mailer; the three readers are erased (`subscribers remove` in its own process,
   * as the site or an operator would) while their message is in the relay's hands.
   */
  function erasingMailer(inner: Mailer): Mailer {
    const erase = async (email: string) => {
      const r = await newsletterProcess(tp.dir, ['subscribers', 'remove', email], {
        NEWSLETTER_DATABASE_URL: databaseUrl(t.database),
      }).done;
      expect(r.code, r.stderr).toBe(0);
    };
    return {
      ...inner,
      async send(message) {
        try {
          return await inner.send(message);
        } finally {
          if ([TAKEN, DEFERRED, REFUSED].includes(message.to)) await erase(message.to);
        }
      },
    };
  }

  it('the pass goes on, nothing is written for them, and the summary equals the ledger', async () => {
    await insertSubscribers(
      t.db,
      emails.map((email) => ({ email, nextSendAt: T })),
    );
    const project = await loadProject(tp.config);
    const mailer = createMailer(tp.config);
    let summary;
    try {
      summary = await pass(t.db, erasingMailer(mailer), project, tp.config, T);
    } finally {
      await mailer.close();
    }

    expect(summary.aborted).toBeUndefined();
    const ledger = await t.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['email', 'state'])
      .execute();
    const kept = emails.filter((e) => ![TAKEN, DEFERRED, REFUSED].includes(e));
    // Everyone else got their tip, recorded as sent; the three left no row behind.
    expect(ledger.map((r) => r.email).sort()).toEqual(kept);
    expect(ledger.every((r) => r.state === 'sent')).toBe(true);
    expect(summary).toMatchObject({ sent: kept.length, skipped: 3, retried: 0, failed: 0, bounced: 0 });
    expect(summary.problems).toEqual([]);
    expect(await t.db.selectFrom('deliveries').select('id').execute()).toHaveLength(kept.length);
    expect(await t.db.selectFrom('delivery_attempts').select('id').execute()).toHaveLength(kept.length);
    expect(
      await t.db.selectFrom('subscribers').select('id').where('email', 'in', [TAKEN, DEFERRED, REFUSED]).execute(),
    ).toEqual([]);
    // Erased, so only their address hashes stay, and nothing is sent to them again.
    const suppressed = await t.db.selectFrom('suppressions').select('email_hash').execute();
    expect(suppressed.map((s) => s.email_hash).sort()).toEqual([TAKEN, DEFERRED, REFUSED].map(addressHash).sort());
    expect(sink.received.flatMap((m) => m.envelopeTo).sort()).toEqual([...kept, TAKEN].sort());
  }, 60_000);
});
