import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { textFingerprint, tipText } from '../../src/content/fingerprint.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newsletterProcess } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { DAY, header, insertSubscribers, loadProject } from './helpers.ts';

const T1 = Date.UTC(2026, 10, 2, 19);
const T2 = T1 + 2 * DAY;
const READERS = 120;
const POOL = 2;
const SLUG = 'what-happens-in-your-calf';

describeEachEngine('corrections across processes: a sender killed mid-pass', (engine) => {
  const t = useTestStore(engine);
  let sink: SmtpSink;
  let tp: TempProject;
  const env = () => ({
    NEWSLETTER_SMTP_URL: sink.url,
    NEWSLETTER_SMTP_POOL: String(POOL),
    NEWSLETTER_DATABASE_URL: t.url,
    NEWSLETTER_DATABASE_POOL: '2',
  });

  beforeAll(async () => {
    sink = await startSmtpSink({ parse: false });
    tp = await tempProject({ NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_DATABASE_URL: t.url });
    const v1 = (await loadProject(tp.config)).tips.find((tip) => tip.slug === SLUG)!;
    const file = path.join(tp.dir, v1.file);
    await writeFile(
      file,
      (await readFile(file, 'utf8'))
        .replace(
          /^reviewed: /m,
          'corrections:\n  - date: 2026-11-03\n    text: "Most cramps last seconds."\nreviewed: ',
        )
        .replace('For the next twelve weeks', 'For twelve weeks'),
    );
    // Every reader got week 1 as first written, on 2 November.
    const ids = await insertSubscribers(
      t.db,
      Array.from({ length: READERS }, (_, i) => ({
        email: `r${String(i).padStart(3, '0')}@example.org`,
        nextSendAt: null,
      })),
    );
    await t.db
      .insertInto('deliveries')
      .values(
        ids.map((id) => ({
          subscriber_id: id,
          tip_slug: SLUG,
          cycle: 0,
          week: 1,
          state: 'sent' as const,
          attempts: 1,
          message_id: `<tip.${id}@example.org>`,
          created_at: T1,
          claimed_at: T1,
          sent_at: T1,
          fingerprint: textFingerprint(tipText(v1)),
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await sink?.close();
    await tp?.cleanup();
  });

  it('killed, then two senders at once after the lease: every reader told, none twice but the ones in flight', async () => {
    // A slow server keeps the first sender busy long enough to be killed part-way.
    sink.delayMs = 30;
    const first = newsletterProcess(tp.dir, ['corrections', '--send', '--at', new Date(T2).toISOString()], env());
    for (let i = 0; i < 3000 && sink.received.length < 20 && first.running(); i++)
      await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    sink.delayMs = 0;
    const atKill = await t.db
      .selectFrom('correction_deliveries as c')
      .innerJoin('subscribers as s', 's.id', 'c.subscriber_id')
      .select(['s.email', 'c.state', 'c.message_id'])
      .execute();
    const completed = atKill.filter((r) => r.state === 'sent');
    const inFlight = atKill.filter((r) => r.state === 'sending');
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.length).toBeLessThan(READERS);
    expect(inFlight.length).toBeLessThanOrEqual(POOL);

    // Two senders at once, after the killed one's claims went stale (10 minutes).
    const later = new Date(T2 + 15 * 60_000).toISOString();
    const [a, b] = await Promise.all(
      [0, 1].map(() => newsletterProcess(tp.dir, ['corrections', '--send', '--at', later], env()).done),
    );
    expect([a!.code, b!.code], a!.stderr + b!.stderr).toEqual([0, 0]);

    const got = new Map<string, string[]>();
    for (const m of sink.received)
      for (const to of m.envelopeTo) got.set(to, [...(got.get(to) ?? []), header(m, 'Message-ID')!]);
    expect(got.size).toBe(READERS);
    for (const r of completed) expect(got.get(r.email)).toEqual([r.message_id]);
    const repeated = [...got.entries()].filter(([, mids]) => mids.length > 1);
    for (const [email, mids] of repeated) {
      // Only a correction in flight at the kill goes out twice, and with the same Message-ID.
      expect(inFlight.map((r) => r.email)).toContain(email);
      expect(new Set(mids).size).toBe(1);
    }
    const ledger = await t.db.selectFrom('correction_deliveries').select(['state']).execute();
    expect(ledger).toHaveLength(READERS);
    expect(ledger.every((r) => r.state === 'sent')).toBe(true);

    // And a later pass tells nobody again.
    const again = await newsletterProcess(tp.dir, ['corrections', '--send', '--at', later], env()).done;
    expect(again.stdout).toContain('nobody is owed one');
  }, 120_000);
});
