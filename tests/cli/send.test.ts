import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';
import { useSmtpSink } from '../support/use-resource.ts';
import { DAY, HOUR, WEEK, header, insertZonedReaders, pass, useDeliveryFixture } from '../delivery/helpers.ts';

const START = Date.UTC(2026, 4, 4);
const readers = [
  { email: 'utc@example.org', timezone: null, zone: 'UTC' },
  { email: 'ny@example.org', timezone: 'America/New_York', zone: 'America/New_York' },
  { email: 'syd@example.org', timezone: 'Australia/Sydney', zone: 'Australia/Sydney' },
];

const sink = useSmtpSink();
const f = useDeliveryFixture(sink, 2, { each: false });

function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', NEWSLETTER_SMTP_URL: sink.url },
    cwd: f.tp.dir,
    now: () => new Date(START),
    isTty: false,
  };
  return main(args, io).then((code) => ({ code, out, err }));
}

const tipsOf = (email: string) =>
  sink.received
    .filter((m) => m.envelopeTo.includes(email) && !header(m, 'X-Newsletter-Test'))
    .map((m) => header(m, 'X-Newsletter-Tip'));
const ledger = () =>
  f.db
    .selectFrom('deliveries')
    .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
    .select(['email', 'tip_slug', 'state', 'sent_at'])
    .orderBy('deliveries.id')
    .execute();

async function hourly(from: number, to: number): Promise<number> {
  let sent = 0;
  for (let now = from; now < to; now += HOUR) sent += (await pass(f.db, f.mailer, f.project, f.tp.config, now)).sent;
  return sent;
}

beforeAll(() => insertZonedReaders(f.db, readers, START));

describe('an outage, and the send, stats and send-test commands', () => {
  const back = START + 5 * WEEK;

  it('two normal weeks: two tips each', async () => {
    expect(await hourly(START, START + 2 * WEEK)).toBe(6);
    for (const r of readers) expect(tipsOf(r.email)).toEqual(['what-happens-in-your-calf', 'cramp-or-something-else']);
  });

  it('send --dry-run after three weeks without a pass lists one tip each and changes nothing', async () => {
    const before = JSON.stringify([await ledger(), await f.db.selectFrom('subscribers').selectAll().execute()]);
    const { code, out } = await cli(['send', '--dry-run', '--at', new Date(back).toISOString()]);
    expect(code).toBe(0);
    for (const r of readers) expect(out).toContain(`send   ${r.email} ← week 3 (stop-it-in-its-tracks)`);
    expect(out[out.length - 1]).toMatch(/would send 3, retry 0, skip 0; nothing was sent or changed/);
    expect(JSON.stringify([await ledger(), await f.db.selectFrom('subscribers').selectAll().execute()])).toBe(before);
    expect(sink.received).toHaveLength(6);
  });

  it('one pass after the outage sends ONE tip each (no burst), and the schedule continues from then', async () => {
    const { code, out } = await cli(['send', '--at', new Date(back).toISOString()]);
    expect(code).toBe(0);
    expect(out[out.length - 1]).toMatch(/^sent 3, failed 0, bounced 0, retried later 0, skipped 0 \(3 due\)/);
    for (const r of readers) expect(tipsOf(r.email)).toHaveLength(3);
    // Nothing more for six days, however often passes run.
    expect(await hourly(back + HOUR, back + 6 * DAY)).toBe(0);
    // Then the next tip, once each, at their local send time.
    expect(await hourly(back + 6 * DAY, back + 8 * DAY)).toBe(3);
    const rows = await ledger();
    for (const r of readers) {
      expect(tipsOf(r.email)).toEqual([
        'what-happens-in-your-calf',
        'cramp-or-something-else',
        'stop-it-in-its-tracks',
        'rub-it-walk-it-shake-it',
      ]);
      const mine = rows.filter((x) => x.email === r.email);
      const [third, fourth] = [mine[2]!.sent_at!, mine[3]!.sent_at!];
      expect(third).toBeGreaterThanOrEqual(back);
      expect(fourth - third).toBeGreaterThanOrEqual(6 * DAY);
      expect(DateTime.fromMillis(fourth, { zone: r.zone }).toFormat('HH:mm')).toBe('19:00');
    }
  });

  it('stats shows subscribers by status and deliveries by tip and state', async () => {
    await f.db
      .updateTable('subscribers')
      .set({ status: 'paused', next_send_at: null })
      .where('email', '=', 'syd@example.org')
      .execute();
    const { code, out } = await cli(['stats']);
    expect(code).toBe(0);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}active +2$/));
    expect(out).toContainEqual(expect.stringMatching(/^ {2}paused +1$/));
    expect(out).toContainEqual(expect.stringMatching(/^ +1 {2}what-happens-in-your-calf +3 +0 +0 +0 +0$/));
    expect(out).toContainEqual(expect.stringMatching(/^ +5 {2}warm-or-cool +0 +0 +0 +0 +0$/));
    const json = JSON.parse((await cli(['stats', '--json'])).out.join('\n'));
    expect(json.subscribers).toMatchObject({ active: 2, paused: 1 });
    expect(json.deliveries[3]).toMatchObject({ week: 4, slug: 'rub-it-walk-it-shake-it', states: { sent: 3 } });
  });

  it('stats shows, per tip, yes / not really / comments, the share of its readers who answered, and anonymous web answers', async () => {
    const ids = (await f.db.selectFrom('subscribers').select('id').orderBy('id').execute()).map((r) => r.id);
    const slug = 'what-happens-in-your-calf';
    await f.db
      .insertInto('feedback')
      .values([
        { subscriber_id: ids[0]!, tip_slug: slug, answer: 'yes', comment: null, created_at: START, updated_at: START },
        {
          subscriber_id: ids[1]!,
          tip_slug: slug,
          answer: 'no',
          comment: 'More on <b>calves</b>\u001b[31m',
          created_at: START,
          updated_at: START,
        },
        { subscriber_id: null, tip_slug: slug, answer: 'yes', comment: null, created_at: START, updated_at: START },
      ])
      .execute();
    const { code, out } = await cli(['stats']);
    expect(code).toBe(0);
    // 3 readers got week 1; 2 answered: 67%.
    expect(out).toContainEqual(expect.stringMatching(/^ +1 {2}what-happens-in-your-calf +1 +1 +1 +67% +1 +0$/));
    expect(out).toContainEqual(expect.stringMatching(/^ +5 {2}warm-or-cool +0 +0 +0 +- +0 +0$/));
    // The comment is quoted, its escape character written as \u001b, never sent to the terminal raw.
    const line = out.find((l) => l.includes('calves'))!;
    expect(line).toContain('what-happens-in-your-calf  not really: "More on <b>calves</b>\\u001b[31m"');
    expect(out.join('\n')).not.toContain('\u001b');
    const json = JSON.parse((await cli(['stats', '--json'])).out.join('\n'));
    expect(json.feedback.find((f: { slug: string }) => f.slug === slug)).toMatchObject({
      yes: 1,
      no: 1,
      comments: 1,
      recipients: 3,
      webYes: 1,
      webNo: 0,
    });
    await f.db.deleteFrom('feedback').execute();
  });

  it('send-test sends one tip (by week or slug) to one address, outside the ledger', async () => {
    const rowsBefore = (await ledger()).length;
    const { code, out } = await cli(['send-test', '7', '--to', 'editor@example.org']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^Sent week 7 \(drink-through-the-day\) to editor@example.org through SMTP smtp:\/\/127\.0\.0\.1:\d+/,
    );
    const got = sink.received.filter((m) => m.envelopeTo.includes('editor@example.org'));
    expect(got).toHaveLength(1);
    expect(header(got[0]!, 'X-Newsletter-Test')).toBe('yes');
    expect(got[0]!.parsed.subject).toContain('Week 7');
    expect(got[0]!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    expect((await ledger()).length).toBe(rowsBefore);

    expect((await cli(['send-test', 'warm-or-cool'])).code).toBe(2);
    const bad = await cli(['send-test', 'no-such-tip', '--to', 'editor@example.org']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('no tip "no-such-tip"');
    expect((await cli(['send', '--at', 'next tuesday'])).err.join('\n')).toContain(
      '--at "next tuesday" is not an ISO-8601 time',
    );
  });
});
