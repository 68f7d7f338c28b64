import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newsletterProcess } from '../support/newsletter-process.ts';
import { sentDelivery } from '../support/rows.ts';
import { runCli } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers } from './helpers.ts';

/**
 * Issue 24, "done when": a list crossing 0.3 % complaints pauses three PostgreSQL senders (real
 * processes, started together) until an operator releases it; then the three send the list
 * between them, each reader once.
 */
const T = Date.UTC(2026, 2, 2, 19);
const HOUR = 3_600_000;
const READERS = 1200;

describeEachEngine(
  'the complaint guard holds three sender processes on one PostgreSQL database',
  () => {
    const t = useTestStore({ name: 'postgres' });
    let sink: SmtpSink;
    let tp: TempProject;
    const send = (at: number) =>
      newsletterProcess(
        tp.dir,
        ['send', '--at', new Date(at).toISOString()],
        {
          NEWSLETTER_DATABASE_URL: t.url,
          NEWSLETTER_DATABASE_POOL: '3',
          NEWSLETTER_SMTP_URL: sink.url,
          NEWSLETTER_SMTP_POOL: '4',
        },
        200_000,
      ).done;

    beforeAll(async () => {
      sink = await startSmtpSink({ parse: false });
      // 10 ms a message keeps each pass going for seconds, so the three overlap.
      sink.delayMs = 10;
      tp = await tempProject();
      // 1,000 tips delivered yesterday and 4 readers who complained about them: 0.4 %.
      const [archive, ...complainers] = await insertSubscribers(t.db, [
        { email: 'archive@example.org', status: 'unsubscribed', nextSendAt: null },
        ...[0, 1, 2, 3].map((i) => ({
          email: `complainer${i}@example.org`,
          status: 'complained' as const,
          nextSendAt: null,
        })),
      ]);
      const rows = Array.from({ length: 1000 }, (_, i) =>
        sentDelivery({
          subscriberId: archive!,
          slug: `old-${i}`,
          messageId: `<old.${i}@example.org>`,
          at: T - 86_400_000,
        }),
      );
      for (let i = 0; i < rows.length; i += 500)
        await t.db
          .insertInto('deliveries')
          .values(rows.slice(i, i + 500))
          .execute();
      await t.db
        .insertInto('bounce_events')
        .values(
          complainers.map((id, i) => ({
            subscriber_id: id,
            delivery_id: null,
            kind: 'complaint' as const,
            source: 'arf' as const,
            status: 'abuse',
            detail: null,
            event_key: `complaint-${i}`,
            received_at: T - 3 * HOUR,
          })),
        )
        .execute();
      await insertSubscribers(
        t.db,
        Array.from({ length: READERS }, (_, i) => ({
          email: `reader${String(i).padStart(5, '0')}@example.org`,
          nextSendAt: T,
        })),
      );
    });
    afterAll(async () => {
      await sink?.close();
      await tp?.cleanup();
    });

    it('all three are held, one pause is recorded; after `guard release` the three send the list once', async () => {
      const held = await Promise.all([0, 1, 2].map(() => send(T)));
      for (const r of held) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stdout).toContain('sent nothing: tip sends are paused since');
        expect(r.stdout).toContain('complaint rate 0.4 % (4 of 1,000 delivered) is at or above 0.3 %');
        expect(r.stdout).toContain('newsletter guard release --reason "…"');
      }
      expect(sink.received).toHaveLength(0);
      // Three senders saw the crossing at once; the numbered rows let only one of them write it.
      expect((await t.db.selectFrom('guard_events').select(['seq', 'kind']).execute()).map((e) => e.kind)).toEqual([
        'paused',
      ]);
      expect(await t.db.selectFrom('deliveries').where('tip_slug', 'not like', 'old-%').selectAll().execute()).toEqual(
        [],
      );

      // Still held an hour later: nobody released it.
      expect((await send(T + HOUR)).code).toBe(1);
      expect(sink.received).toHaveLength(0);

      const env = { NEWSLETTER_DATABASE_URL: t.url };
      const release = await runCli(
        ['guard', 'release', '--reason', 'the complaints came from one bad import; removed it'],
        tp.dir,
        env,
        new Date(T + 2 * HOUR),
      );
      expect(release.code, release.stderr).toBe(0);

      const runs = await Promise.all([0, 1, 2].map(() => send(T + 3 * HOUR)));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const sentBy = runs.map((r) => Number(/^sent ([\d,]+)/m.exec(r.stdout)?.[1]?.replace(/,/g, '')));
      expect(sentBy.reduce((a, b) => a + b, 0)).toBe(READERS);
      expect(sentBy.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
      expect(sink.received).toHaveLength(READERS);
      expect(new Set(sink.received.map((m) => header(m, 'Message-ID'))).size).toBe(READERS);
      const events = await t.db.selectFrom('guard_events').select(['kind', 'reason']).orderBy('seq').execute();
      expect(events.map((e) => e.kind)).toEqual(['paused', 'released']);
      expect(events[1]!.reason).toBe('the complaints came from one bad import; removed it');
    }, 400_000);
  },
  'postgres',
);
