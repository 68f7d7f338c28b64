import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newsletterProcess, until, type NewsletterProcess } from '../support/newsletter-process.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { insertSubscribers } from './helpers.ts';

/**
 * Issue 26: a site's connection limit holds for the whole fleet. Three real sender processes on
 * one PostgreSQL database, a site (`leased.test`) limited to 2 connections, and a sink that holds
 * each message open 40 ms and notes how many are open at once per recipient domain: never more
 * than 2 (with each process keeping a share in memory, three senders had 3 open). A sender
 * killed while it holds both slots loses them once its lease expires, and the next one sends.
 */
const T = Date.UTC(2026, 2, 2, 19);
const SITE = 'leased.test';
const LEASE_SECONDS = 5;

describeEachEngine(
  'a site connection limit leased fleet-wide by sender processes on PostgreSQL',
  () => {
    const t = useTestStore({ name: 'postgres' });
    let sink: SmtpSink;
    let tp: TempProject;
    const send = (at: number): NewsletterProcess =>
      newsletterProcess(
        tp.dir,
        ['send', '--at', new Date(at).toISOString()],
        {
          NEWSLETTER_DATABASE_URL: t.url,
          NEWSLETTER_DATABASE_POOL: '3',
          NEWSLETTER_SMTP_URL: sink.url,
          NEWSLETTER_SMTP_POOL: '4',
          NEWSLETTER_SITE_LEASE_SECONDS: String(LEASE_SECONDS),
        },
        200_000,
      );
    const readers = (prefix: string, n: number, nextSendAt: number) =>
      insertSubscribers(
        t.db,
        Array.from({ length: n }, (_, i) => ({ email: `${prefix}${String(i).padStart(4, '0')}@${SITE}`, nextSendAt })),
      );
    const sentBy = (stdout: string) => Number(/^sent ([\d,]+)/m.exec(stdout)?.[1]?.replace(/,/g, '') ?? NaN);

    beforeAll(async () => {
      sink = await startSmtpSink({ parse: false });
      tp = await tempProject();
      await appendFile(
        path.join(tp.dir, 'content/series.yml'),
        `\nsending:\n  sites:\n    ${SITE}: { connections: 2 }\n`,
      );
    });
    afterAll(async () => {
      await sink?.close();
      await tp?.cleanup();
    });

    it('three senders at once never have more than 2 messages open to the site, and leave every slot free', async () => {
      sink.delayMs = 40;
      await readers('a', 150, T);
      const runs = await Promise.all([0, 1, 2].map(() => send(T).done));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      expect(runs.map((r) => sentBy(r.stdout)).reduce((a, b) => a + b, 0)).toBe(150);
      expect(sink.received).toHaveLength(150);
      expect(sink.maxOpenByDomain.get(SITE)).toBe(2);
      const held = await t.db.selectFrom('site_leases').select(['slot', 'holder']).where('site', '=', SITE).execute();
      expect(held.map((r) => r.slot).sort()).toEqual([0, 1]);
      expect(held.filter((r) => r.holder !== null)).toEqual([]);
    }, 300_000);

    it('a sender killed while holding both slots loses them when its lease expires; the next sender waits for that, then sends', async () => {
      sink.received.length = 0;
      sink.maxOpenByDomain.clear();
      // Each message held 400 ms: the first sender is caught with both slots in flight.
      sink.delayMs = 400;
      await readers('b', 40, T + 3_600_000);
      const first = send(T + 3_600_000);
      const holding = () =>
        t.db
          .selectFrom('site_leases')
          .select(['holder', 'expires_at'])
          .where('site', '=', SITE)
          .where('holder', 'is not', null)
          .execute();
      expect(await until(async () => (await holding()).length === 2, 60_000)).toBe(true);
      first.child.kill('SIGKILL');
      await first.done;
      const dead = await holding();
      expect(new Set(dead.map((r) => r.holder)).size).toBe(1);
      const expiresAt = Math.max(...dead.map((r) => Number(r.expires_at)));
      const killedAt = Date.now();
      sink.delayMs = 20;

      const next = await send(T + 3_600_000).done;
      expect(next.code, next.stderr).toBe(0);
      expect(sentBy(next.stdout)).toBeGreaterThan(0);
      // Its first message to the site went out once the dead sender's lease had expired, not before.
      const after = sink.received.filter((m) => (m.at ?? 0) > killedAt).map((m) => m.at!);
      expect(after.length).toBe(sentBy(next.stdout));
      expect(Math.min(...after)).toBeGreaterThanOrEqual(expiresAt - 50);
      expect(sink.maxOpenByDomain.get(SITE)).toBeLessThanOrEqual(2);
      const left = await holding();
      expect(left).toEqual([]);
    }, 300_000);
  },
  'postgres',
);
