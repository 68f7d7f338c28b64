import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';
import { useSmtpSink } from '../support/use-resource.ts';
import { createMetrics } from '../../src/web/metrics.ts';
import { useHarness } from '../web/harness.ts';
import { DAY, HOUR, header, insertSubscribers } from './helpers.ts';

const TOKEN = 'a-metrics-token-of-decent-length';

/** Monday 2026-12-07, 00:00 UTC: the shipped reviews (2026-12-05) are current. */
const START = Date.UTC(2026, 11, 7);
const at = (ms: number) => new Date(ms).toISOString();

/** The body of a tip file after its front matter, where an edit changes what readers read. */
function editBody(text: string, from: RegExp, to: string): string {
  const bodyAt = text.indexOf('\n---\n', 4) + 5;
  return text.slice(0, bodyAt) + text.slice(bodyAt).replace(from, to);
}

describeEachEngine(
  'a tip whose text changed since its review is held, then sent once after `newsletter review`',
  (engine) => {
    const store = useTestStore(engine);
    const sink = useSmtpSink();

    it('readers due it wait, everyone else is served, and the first pass after the review sends it to them once', async () => {
      const tp = await tempProject();
      try {
        const env = {
          NEWSLETTER_DATABASE_URL: store.url,
          NEWSLETTER_SMTP_URL: sink.url,
          NEWSLETTER_TIMEZONE: 'UTC',
        };
        const cli = (args: string[], now: number) => runCli(args, tp.dir, env, new Date(now));
        const tipsOf = (email: string) =>
          sink.received.filter((m) => m.envelopeTo.includes(email)).map((m) => header(m, 'X-Newsletter-Tip'));
        // The series requires a review, as production does by default.
        const seriesFile = path.join(tp.dir, 'content/series.yml');
        await writeFile(seriesFile, `${await readFile(seriesFile, 'utf8')}\nrequireReview: true\n`);

        // Ann gets week 1 now; her week 2 is due a week later.
        await insertSubscribers(store.db, [{ email: 'ann@example.org', nextSendAt: START }]);
        expect((await cli(['send', '--at', at(START + HOUR)], START + HOUR)).code).toBe(0);
        expect(tipsOf('ann@example.org')).toEqual(['what-happens-in-your-calf']);

        // Week 2 is edited after its review; Ben joins and is due week 1 at the same pass as Ann.
        const file = path.join(tp.dir, 'content/tips/02-cramp-or-something-else.md');
        await writeFile(file, editBody(await readFile(file, 'utf8'), /\bcramp\b/, 'spasm'));
        const due = START + 8 * DAY;
        await insertSubscribers(store.db, [{ email: 'ben@example.org', nextSendAt: due - HOUR }]);

        const held = await cli(['send', '--at', at(due)], due);
        expect(held.code, held.stderr).toBe(0);
        expect(held.stdout).toMatch(/^sent 1, .*skipped 1 /m);
        expect(held.stdout).toContain(
          'week 2 (cramp-or-something-else) held: 1 reader wait for it (body changed since the review of 2026-12-05); release: newsletter review 02-cramp-or-something-else',
        );
        expect(tipsOf('ann@example.org')).toEqual(['what-happens-in-your-calf']);
        expect(tipsOf('ben@example.org')).toEqual(['what-happens-in-your-calf']);

        const stats = await cli(['stats'], due + HOUR);
        expect(stats.stdout).toMatch(
          /week 2 \(cramp-or-something-else\) held \(review\): 1 reader due now wait for it; .*release: newsletter review 02-cramp-or-something-else/,
        );

        // Released: the next pass sends Ann week 2, in its place, and nothing to Ben (too soon).
        expect((await cli(['review', '02-cramp-or-something-else'], due + HOUR)).code).toBe(0);
        const released = await cli(['send', '--at', at(due + 2 * HOUR)], due + 2 * HOUR);
        expect(released.code, released.stderr).toBe(0);
        expect(released.stdout).toMatch(/^sent 1, /m);
        expect(released.stdout).not.toContain('held');
        const again = await cli(['send', '--at', at(due + 3 * HOUR)], due + 3 * HOUR);
        expect(again.stdout).toMatch(/^sent 0, /m);
        expect(tipsOf('ann@example.org')).toEqual(['what-happens-in-your-calf', 'cramp-or-something-else']);
        expect(tipsOf('ben@example.org')).toEqual(['what-happens-in-your-calf']);
      } finally {
        await tp.cleanup();
      }
    });

    it('without requireReview (development) an edited tip goes out, without its "checked" line', async () => {
      const tp = await tempProject();
      try {
        const env = { NEWSLETTER_DATABASE_URL: store.url, NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_TIMEZONE: 'UTC' };
        const file = path.join(tp.dir, 'content/tips/01-what-happens-in-your-calf.md');
        await writeFile(file, editBody(await readFile(file, 'utf8'), /\bcalf\b/, 'leg'));
        await insertSubscribers(store.db, [{ email: 'cy@example.org', nextSendAt: START }]);
        const run = await runCli(['send', '--at', at(START + HOUR)], tp.dir, env, new Date(START + HOUR));
        expect(run.stdout).toMatch(/^sent 1, /m);
        const mail = sink.received.find((m) => m.envelopeTo.includes('cy@example.org'))!;
        expect(mail.parsed.text).toContain('Where this comes from:');
        expect(mail.parsed.text).not.toContain('(checked');
      } finally {
        await tp.cleanup();
      }
    });
  },
);

describe('a tip that fails `check` never goes out', () => {
  const h = useHarness({ env: { NEWSLETTER_METRICS_TOKEN: TOKEN } });

  it('`newsletter new`, then its draft line deleted with the placeholders in: 404, same count, not sent', async () => {
    const home = async () => (await fetch(`${h.url}/`)).text();
    const count = (page: string) => /(\d+) weeks, one evening a week/.exec(page)?.[1];
    expect(count(await home())).toBe('12');

    const made = await runCli(['new', 'Socks and sheets'], h.temp.dir, {}, h.clock.now());
    expect(made.code, made.stderr).toBe(0);
    const file = path.join(h.temp.dir, made.stdout.trim());
    const version = h.content.version();
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^draft: true\n/m, ''));
    await expect.poll(() => h.content.version(), { timeout: 20_000 }).toBeGreaterThan(version);

    const check = await runCli(['check'], h.temp.dir, {}, h.clock.now());
    expect(check.code).toBe(1);
    expect((await fetch(`${h.url}/tips/socks-and-sheets`)).status).toBe(404);
    expect(count(await home())).toBe('12');
    expect(await (await fetch(`${h.url}/tips`)).text()).not.toContain('socks-and-sheets');
    expect(await (await fetch(`${h.url}/feed.xml`)).text()).not.toContain('socks-and-sheets');
    expect(await (await fetch(`${h.url}/sitemap.xml`)).text()).not.toContain('socks-and-sheets');
    expect(h.logs.filter((l) => l.includes('(socks-and-sheets) is not on the site and not sent'))).toHaveLength(1);

    // Dee has had weeks 1-12 and is due the new one; Eve is due week 1. Only Eve gets mail.
    const now = h.clock.now().getTime();
    const [dee] = await insertSubscribers(h.db, [
      { email: 'dee@example.org', nextSendAt: now - HOUR, lastSentAt: now - 7 * DAY },
      { email: 'eve@example.org', nextSendAt: now - HOUR },
    ]);
    const shipped = (await h.app.project()).tips.filter((t) => !t.draft && t.week <= 12);
    await h.db
      .insertInto('deliveries')
      .values(
        shipped.map((t) => ({
          subscriber_id: dee!,
          tip_slug: t.slug,
          cycle: 0,
          week: t.week,
          state: 'sent' as const,
          attempts: 1,
          message_id: `<${t.slug}.dee@example.org>`,
          created_at: now - 7 * DAY,
          claimed_at: null,
          sent_at: now - 7 * DAY,
          next_attempt_at: null,
          last_response: '250 ok',
        })),
      )
      .execute();
    const before = h.sink.received.length;
    const pass = await runCli(['send'], h.temp.dir, { NEWSLETTER_SMTP_URL: h.sink.url }, h.clock.now());
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(
      /week 13 \(socks-and-sheets\) blocked, not sent: 1 reader wait for it \(\d+ check errors, first/,
    );
    const sent = h.sink.received.slice(before);
    expect(sent.map((m) => m.envelopeTo)).toEqual([['eve@example.org']]);

    const metrics = await (await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/^newsletter_tips_blocked 1$/m);
    expect(metrics).toMatch(/^newsletter_tips_held\{tip="socks-and-sheets",kind="blocked"\} 0$/m);
    const stats = await runCli(['stats'], h.temp.dir, {}, h.clock.now());
    expect(stats.stdout).toMatch(
      /week 13 \(socks-and-sheets\) blocked \(fails check; not on the site\): 1 reader due now wait for it;/,
    );
  });
});

describe('/metrics: the readers who waited for each held tip', () => {
  it('come from the last pass of the process, for the tips held now', async () => {
    const hold = { slug: 'warm-or-cool', week: 5, file: 'content/tips/05-warm-or-cool.md', why: 'x', release: 'y' };
    let holds = [{ ...hold, kind: 'held' as const }];
    const metrics = createMetrics(async () => ({
      subscribers: {},
      deliveries: {},
      retryQueue: 0,
      oldestDueLatenessSeconds: 0,
      holds,
    }));
    metrics.recordPass({
      due: 3,
      sent: 0,
      retried: 0,
      failed: 0,
      bounced: 0,
      skipped: 3,
      problems: [],
      elapsedMs: 1,
      held: [{ ...hold, kind: 'held', readers: 3 }],
    });
    const first = (await metrics.scrape()).body;
    expect(first).toMatch(/^newsletter_tips_held\{tip="warm-or-cool",kind="held"\} 3$/m);
    expect(first).toMatch(/^newsletter_tips_blocked 0$/m);
    holds = [];
    expect((await metrics.scrape()).body).not.toContain('newsletter_tips_held{');
  });
});
