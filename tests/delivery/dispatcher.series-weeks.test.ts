import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedTips } from '../../src/content/index.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import type { Database } from '../../src/store/schema.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { TempProject } from '../support/temp-project.ts';
import {
  DAY,
  WEEK,
  header,
  insertZonedReaders,
  loadProject,
  openTestDatabase,
  pass,
  sinkProject,
  writeTip,
} from './helpers.ts';

/**
 * Fourteen simulated weeks, a pass every 30 minutes of simulated time, for readers in three
 * zones. Two windows so that all four daylight-saving changes are crossed: spring (New York
 * springs forward 8 March, Sydney falls back 5 April) and autumn (Sydney springs forward
 * 4 October, New York falls back 1 November).
 */
const windows = [
  {
    name: 'spring',
    start: Date.UTC(2026, 1, 16),
    changes: [
      { zone: 'America/New_York', day: '2026-03-08' },
      { zone: 'Australia/Sydney', day: '2026-04-05' },
    ],
  },
  {
    name: 'autumn',
    start: Date.UTC(2026, 8, 14),
    changes: [
      { zone: 'Australia/Sydney', day: '2026-10-04' },
      { zone: 'America/New_York', day: '2026-11-01' },
    ],
  },
];

const readers = [
  // No zone and no time given: NEWSLETTER_TIMEZONE (UTC) and the series' 19:00.
  { email: 'utc@example.org', timezone: null, sendTime: null, zone: 'UTC', time: '19:00' },
  { email: 'ny@example.org', timezone: 'America/New_York', sendTime: null, zone: 'America/New_York', time: '19:00' },
  {
    email: 'syd@example.org',
    timezone: 'Australia/Sydney',
    sendTime: '07:30',
    zone: 'Australia/Sydney',
    time: '07:30',
  },
];

describe.each(windows)('fourteen weeks of the series ($name window)', ({ start, changes }) => {
  let tp: TempProject;
  let sink: SmtpSink;
  let db: Kysely<Database>;
  let mailer: Mailer;
  const sentLog: { email: string; slug: string; at: number }[] = [];
  let week12Slugs: string[] = [];
  const addedAt = start + 12 * WEEK + 2 * DAY;

  beforeAll(async () => {
    sink = await startSmtpSink();
    ({ tp, mailer } = await sinkProject(sink.url, 2));
    // A draft from the start: previewed, never sent.
    await writeTip(tp.dir, '13-draft-not-ready.md', { title: 'Not ready yet', week: 13, draft: true });
    db = await openTestDatabase(tp.config);
    await insertZonedReaders(db, readers, start);

    let project = await loadProject(tp.config);
    week12Slugs = publishedTips(project.tips).map((t) => t.slug);
    let edited = false;
    for (let now = start; now <= start + 14 * WEEK; now += 30 * 60_000) {
      if (!edited && now >= addedAt) {
        // Week 13: an editor adds a tip and renumbers two tips that everyone already had.
        await writeTip(tp.dir, '14-a-new-tip.md', { title: 'A new tip', week: 14 });
        const tipsDir = path.join(tp.dir, 'content', 'tips');
        const [a, b] = ['01-what-happens-in-your-calf.md', '02-cramp-or-something-else.md'].map((f) =>
          path.join(tipsDir, f),
        ) as [string, string];
        await writeFile(a, (await readFile(a, 'utf8')).replace(/^week: 1$/m, 'week: 2'));
        await writeFile(b, (await readFile(b, 'utf8')).replace(/^week: 2$/m, 'week: 1'));
        project = await loadProject(tp.config);
        expect(project.problems.filter((p) => p.severity === 'error')).toEqual([]);
        edited = true;
      }
      const summary = await pass(db, mailer, project, tp.config, now);
      expect(summary.aborted).toBeUndefined();
      if (summary.sent > 0) {
        const rows = await db
          .selectFrom('deliveries')
          .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
          .select(['email', 'tip_slug', 'sent_at'])
          .where('sent_at', '=', now)
          .execute();
        for (const r of rows) sentLog.push({ email: r.email, slug: r.tip_slug, at: r.sent_at! });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await mailer?.close();
    await db?.destroy();
    await sink?.close();
    await tp?.cleanup();
  });

  it.each(readers)(
    '$email gets weeks 1-12 in order, one a week at their local send time, then the added tip',
    async (r) => {
      const mine = sentLog.filter((s) => s.email === r.email);
      expect(mine.map((s) => s.slug)).toEqual([...week12Slugs, 'a-new-tip']);
      // Every tip at the reader's own local time, daylight saving or not.
      for (const s of mine) expect(DateTime.fromMillis(s.at, { zone: r.zone }).toFormat('HH:mm')).toBe(r.time);
      // Weeks 1-12: exactly seven local days apart, across the clock changes.
      for (let i = 1; i < 12; i++) {
        const days = DateTime.fromMillis(mine[i]!.at, { zone: r.zone })
          .startOf('day')
          .diff(DateTime.fromMillis(mine[i - 1]!.at, { zone: r.zone }).startOf('day'), 'days').days;
        expect(days).toBe(7);
      }
      // Never two tips within six days, the added one included.
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(6 * DAY);
      // The added tip reaches them at their next send time after it was added.
      const added = mine[12]!;
      expect(added.at).toBeGreaterThanOrEqual(addedAt);
      expect(added.at - addedAt).toBeLessThanOrEqual(DAY);
    },
  );

  it('the sink got exactly the ledger: one message per reader and tip, never the draft, never a renumbered tip again', () => {
    const got = sink.received.map((m) => `${m.envelopeTo.join(',')} ${header(m, 'X-Newsletter-Tip')}`);
    expect(got).toHaveLength(readers.length * 13);
    expect(new Set(got).size).toBe(got.length);
    expect(got.some((g) => g.endsWith('draft-not-ready'))).toBe(false);
    expect(sink.received.every((m) => m.parsed.subject && !m.parsed.subject.includes('Not ready'))).toBe(true);
  });

  it('the window really crosses a daylight-saving change in each zone, with tips on both sides', () => {
    for (const { zone, day } of changes) {
      const change = DateTime.fromISO(day, { zone });
      expect(change.minus({ days: 1 }).offset).not.toBe(change.plus({ days: 1 }).offset);
      const mine = sentLog.filter((s) => readers.find((r) => r.email === s.email)!.zone === zone);
      expect(mine.some((s) => s.at < change.toMillis())).toBe(true);
      expect(mine.some((s) => s.at > change.toMillis())).toBe(true);
    }
  });
});
