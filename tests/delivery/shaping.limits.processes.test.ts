import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newsletterProcess, until, type NewsletterProcess } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { insertSubscribers } from './helpers.ts';

/**
 * Issue 26: "3 senders on PostgreSQL hold a site limit of 600/min within 10 %", as real
 * processes on a real minute. Three `newsletter send` processes share one fresh database and a
 * limit of 600 a minute for the google site (series.yml `sending.sites`); 1,000 gmail.com
 * readers, more than a minute at the limit can take, and a sink that answers at once, so the
 * bucket is the only brake. Counted at the sink: the messages that arrive within 60 s of the
 * first, 540 to 660. That window is the feature itself, so it is the one wall-clock figure
 * here; everything else waits on events. From above the count is bounded by the shared bucket;
 * from below it needs the senders to keep up 10 a second, which 3 × 4 connections to a sink that
 * answers at once do many times over, even on a loaded machine.
 *
 * The passes run at the real time (no `--at`), so the three share the machine's clock for the
 * bucket. Before, each process's bucket clock was its pass's start (read before the process had
 * loaded its project, seconds earlier on a busy machine) plus the time elapsed: a process whose
 * clock lagged by more than the one-second burst was never granted a token, and one of the three
 * sent nothing.
 */
const READERS = 1000;
const LIMIT = 600;
const WINDOW_MS = 60_000;

describeEachEngine(
  'a site limit of 600 a minute held by three sender processes on one PostgreSQL database',
  () => {
    const t = useTestStore({ name: 'postgres' });
    let sink: SmtpSink;
    let tp: TempProject;

    beforeAll(async () => {
      sink = await startSmtpSink({ parse: false });
      tp = await tempProject();
      await appendFile(
        path.join(tp.dir, 'content/series.yml'),
        `\nsending:\n  sites:\n    google:\n      perMinute: ${LIMIT}\n      connections: 12\n`,
      );
      const due = Date.now() - 60_000;
      await insertSubscribers(
        t.db,
        Array.from({ length: READERS }, (_, i) => ({
          email: `r${String(i).padStart(4, '0')}@gmail.com`,
          nextSendAt: due,
        })),
      );
    });
    afterAll(async () => {
      await sink?.close();
      await tp?.cleanup();
    });

    it('the messages arriving within 60 s of the first are 600 ± 10 %, each reader at most once, from all three senders', async () => {
      const started = Date.now();
      const senders: NewsletterProcess[] = [0, 1, 2].map(() =>
        newsletterProcess(
          tp.dir,
          ['send'],
          {
            NEWSLETTER_DATABASE_URL: t.url,
            NEWSLETTER_DATABASE_POOL: '3',
            NEWSLETTER_SMTP_URL: sink.url,
            NEWSLETTER_SMTP_POOL: '4',
          },
          240_000,
        ),
      );
      try {
        expect(await until(() => sink.received.length > 0, 120_000), 'no message arrived').toBe(true);
        const first = Math.min(...sink.received.map((m) => m.at!));
        console.log(`[postgres] start-up to the first message: ${first - started} ms`);
        // The window is over once the sink's clock passes it (a message stored after it is not counted).
        await until(() => Date.now() > first + WINDOW_MS + 500, WINDOW_MS + 10_000);
        const inWindow = sink.received.filter((m) => m.at! < first + WINDOW_MS).length;
        console.log(`[postgres] arrived within 60 s of the first: ${inWindow} (limit ${LIMIT}/min)`);
        expect(inWindow).toBeGreaterThanOrEqual(LIMIT * 0.9);
        expect(inWindow).toBeLessThanOrEqual(LIMIT * 1.1);
      } finally {
        // SIGTERM: each finishes what is in flight, claims nothing new and prints its summary.
        for (const s of senders) s.child.kill('SIGTERM');
      }
      const stopping = Date.now();
      const exits = await Promise.all(senders.map((s) => s.done));
      console.log(`[postgres] SIGTERM to the three exits: ${Date.now() - stopping} ms`);
      for (const e of exits) expect(e.code, e.stderr).toBe(0);
      const sentBy = exits.map((e) => Number(/^sent ([\d,]+)/m.exec(e.stdout)?.[1]?.replace(/,/g, '')));
      // Three senders shared the bucket: each was granted some of it.
      for (const n of sentBy) expect(n).toBeGreaterThan(0);
      const counts = sink.countByRecipient();
      expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
      expect(sentBy.reduce((a, b) => a + b, 0)).toBe(sink.received.length);
    }, 240_000);
  },
  'postgres',
);
