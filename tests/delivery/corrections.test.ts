import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCorrections, type Corrections } from '../../src/delivery/corrections.ts';
import { passSettings } from '../../src/delivery/settings.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { kyselyCorrectionStore } from '../../src/store/corrections.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { DAY, HOUR, header, insertSubscribers, loadProject, pass } from './helpers.ts';

// Monday 2 November 2026, 19:00 in London (GMT): the readers' send time.
const T1 = Date.UTC(2026, 10, 2, 19);
const T2 = T1 + 2 * DAY;
const TIP = 'content/tips/01-what-happens-in-your-calf.md';
const SLUG = 'what-happens-in-your-calf';
const NOTE = 'We said a cramp lasts up to an hour. Most last seconds to a few minutes.';

describeEachEngine('corrections reach the readers who got the older text', (engine) => {
  const t = useTestStore(engine);
  let sink: SmtpSink;
  let tp: TempProject;
  const mailers: Mailer[] = [];
  const ids: Record<string, number> = {};

  /** One sender: its own connection to the database and its own SMTP pool. */
  const sender = (): Corrections => {
    const mailer = createMailer(tp.config);
    mailers.push(mailer);
    return createCorrections({
      store: kyselyCorrectionStore(t.open({ pool: 2 })),
      mailer: async () => mailer,
      settings: () => passSettings(tp.config),
    });
  };
  const corrections = () => sink.received.filter((m) => header(m, 'X-Newsletter-Correction'));

  beforeAll(async () => {
    sink = await startSmtpSink();
    tp = await tempProject({
      NEWSLETTER_SMTP_URL: sink.url,
      NEWSLETTER_SMTP_POOL: '2',
      NEWSLETTER_DATABASE_URL: t.url,
    });
    const [a, b, c, u] = await insertSubscribers(t.db, [
      { email: 'a@example.org', name: 'Ann', nextSendAt: T1 },
      { email: 'b@example.org', nextSendAt: T2 },
      { email: 'c@example.org', nextSendAt: T1 + 30 * DAY },
      { email: 'u@example.org', nextSendAt: T1 },
    ]);
    Object.assign(ids, { a, b, c, u });
    // Week 1 as first written goes to A and U.
    const mailer = createMailer(tp.config);
    mailers.push(mailer);
    expect((await pass(t.db, mailer, await loadProject(tp.config), tp.config, T1)).sent).toBe(2);
    // U leaves; then the editor corrects the tip and records the correction.
    await t.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', next_send_at: null })
      .where('id', '=', u!)
      .execute();
    const file = path.join(tp.dir, TIP);
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        // The correction goes in above the review lines; the edit makes that review stale.
        .replace(/^reviewed: /m, `corrections:\n  - date: 2026-11-03\n    text: "${NOTE}"\nreviewed: `)
        .replace('For the next twelve weeks', 'For twelve weeks'),
    );
    // B's first tip is the corrected text.
    expect((await pass(t.db, mailer, await loadProject(tp.config), tp.config, T2)).sent).toBe(1);
    sink.received.length = 0;
  });
  afterAll(async () => {
    await Promise.all(mailers.map((m) => m.close()));
    await sink?.close();
    await tp?.cleanup();
  });

  it('the ledger records the fingerprint of the text each delivery carried', async () => {
    const rows = await t.db
      .selectFrom('deliveries')
      .select(['subscriber_id', 'fingerprint'])
      .orderBy('subscriber_id')
      .execute();
    const fp = Object.fromEntries(rows.map((r) => [r.subscriber_id, r.fingerprint]));
    expect(fp[ids.a!]).toMatch(/^[0-9a-f]{12}$/);
    expect(fp[ids.u!]).toBe(fp[ids.a!]);
    expect(fp[ids.b!]).toMatch(/^[0-9a-f]{12}$/);
    expect(fp[ids.b!]).not.toBe(fp[ids.a!]);
  });

  it('the dry run counts only A: B got the corrected text, C nothing yet, U left', async () => {
    const project = await loadProject(tp.config);
    expect(await sender().plan(project.tips)).toEqual([
      {
        slug: SLUG,
        title: 'What is happening in your calf',
        date: '2026-11-03',
        key: '2026-11-03',
        text: NOTE,
        readers: 1,
      },
    ]);
    expect(sink.received).toHaveLength(0);
  });

  it("the regular pass waits for the reader's evening", async () => {
    const project = await loadProject(tp.config);
    const midnight = new Date(T2 + 5 * HOUR);
    const report = await sender().run({ ...request(project), now: midnight, when: 'evening' });
    expect(report).toMatchObject({ sent: 0, waiting: 1 });
    expect(corrections()).toHaveLength(0);
  });

  it('two senders at once in the evening: only A is told, once', async () => {
    const project = await loadProject(tp.config);
    const evening = new Date(T2 + 1 * HOUR);
    const [one, two] = await Promise.all([
      sender().run({ ...request(project), now: evening, when: 'evening' }),
      sender().run({ ...request(project), now: evening, when: 'evening' }),
    ]);
    expect(one.sent + two.sent).toBe(1);
    const told = corrections();
    expect(told.map((m) => m.envelopeTo)).toEqual([['a@example.org']]);
    const mail = told[0]!.parsed;
    expect(mail.subject).toBe('Correction: What is happening in your calf');
    expect(mail.text).toContain(NOTE);
    expect(mail.text).toContain('Corrected 2026-11-03');
    expect(mail.text).toContain(`${tp.config.baseUrl}/tips/${SLUG}`);
    expect(mail.text!.replace(/\s+/g, ' ')).toContain(project.series.urgentHelp);
    expect(mail.html).toContain(`href="${tp.config.baseUrl}/tips/${SLUG}"`);
    expect(header(told[0]!, 'List-Unsubscribe')).toMatch(/\/unsubscribe\?token=/);
    expect(header(told[0]!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const row = await t.db.selectFrom('correction_deliveries').selectAll().execute();
    expect(row).toMatchObject([{ subscriber_id: ids.a, tip_slug: SLUG, correction: '2026-11-03', state: 'sent' }]);
  });

  it('told once: a later pass and --send tell nobody again, and the dry run counts none', async () => {
    const project = await loadProject(tp.config);
    const again = await sender().run({ ...request(project), now: new Date(T2 + 7 * DAY), when: 'now' });
    expect(again.sent).toBe(0);
    expect(corrections()).toHaveLength(1);
    expect((await sender().plan(project.tips))[0]!.readers).toBe(0);
  });
});

function request(project: Awaited<ReturnType<typeof loadProject>>) {
  return { tips: project.tips, series: project.series, renderer: project.renderer };
}
