import { loadContent, publishedTips } from '../content/index.ts';
import { bounceStats, type BounceFigures } from '../store/bounce-stats.ts';
import { seriesStats } from '../store/delivery-stats.ts';
import { createFeedbackStore, type TipFeedback } from '../store/feedback.ts';
import { readRelayState, type RelayState } from '../store/relay-state.ts';
import type { DeliveryState, SubscriberStatus } from '../store/schema.ts';
import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const statuses: SubscriberStatus[] = ['active', 'pending', 'paused', 'unsubscribed', 'bounced', 'complained'];
const states: DeliveryState[] = ['sent', 'sending', 'retry', 'failed', 'bounced'];

const emptyFeedback = (slug: string): TipFeedback => ({
  slug,
  yes: 0,
  no: 0,
  comments: 0,
  recipients: 0,
  webYes: 0,
  webNo: 0,
  webComments: 0,
});

/** The share of a tip's readers who answered it; null before anyone got it. */
const share = (f: TipFeedback): number | null => (f.recipients ? Math.min(1, (f.yes + f.no) / f.recipients) : null);

/** Gmail's and Yahoo's line for bulk senders (2024): spam complaints must stay below 0.3 %. */
export const COMPLAINT_LINE = 0.003;
const DAY = 86_400_000;

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)} %`);

/** The warning for a complaint rate at or above the bulk-sender line, if it is. */
function complaintWarning(what: string, f: BounceFigures): string | undefined {
  if (f.complaintRate === null || f.complaintRate < COMPLAINT_LINE) return undefined;
  return `WARNING: spam complaints ${what} are ${percent(f.complaintRate)} of delivered mail (${f.complaints} of ${f.delivered}), at or above the 0.3 % line Gmail and Yahoo set for bulk senders; above it their users stop getting the newsletter. Check who is on the list and how they joined, and that unsubscribing is easy.`;
}

const when = (at: number) => new Date(at).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');

/** The relay's section: what every sender on this database met of it (no addresses are stored). */
function relayLines(relay: RelayState): string[] {
  const out = ['Relay (every sender on this database)'];
  const failure = relay.lastConnectionFailure;
  out.push(
    failure
      ? `  last connection failure  ${when(failure.lastAt)}: ${failure.last} (${failure.count} pass${failure.count === 1 ? '' : 'es'} met one)`
      : '  last connection failure  none',
  );
  const stops = Object.entries(relay.passesStopped);
  const total = stops.reduce((n, [, e]) => n + e.count, 0);
  out.push(`  passes stopped early     ${total}`);
  for (const [cause, e] of stops)
    out.push(`    ${cause.padEnd(21)} ${String(e.count).padStart(6)}  last ${when(e.lastAt)}: ${e.last}`);
  return out;
}

const stats: LeafCommand = {
  usage:
    'newsletter stats [--json]\n\nReads the subscriber store, the delivery ledger and the readers\' "Did this help?" answers\n(per tip: yes, not really, comments, the share of its readers who answered, and anonymous\nanswers from the tip\'s web page; then the latest comments), and bounce and complaint\nrates per tip and for the last 30 days, with a warning at 0.3 % complaints; then the relay:\nits last connection failure and how many passes stopped early, and why (every sender).\n  --json   print the numbers as JSON',
  options: { json: { type: 'boolean' } },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const db = await app.db();
      const numbers = await seriesStats(db, io.now().getTime());
      const health = await bounceStats(db, io.now().getTime() - 30 * DAY);
      const warnings = [
        complaintWarning('in the last 30 days', health.recent),
        ...health.tips.map((t) => complaintWarning(`for week ${t.week} (${t.slug})`, t)),
      ].filter((w): w is string => w !== undefined);
      // Published tips nobody has had yet are listed too; the ledger alone cannot know them.
      const content = await loadContent(app.config.contentDir, app.config.rootDir).catch(() => undefined);
      const rows = [...numbers.tips];
      for (const t of publishedTips(content?.tips ?? [])) {
        if (!rows.some((r) => r.slug === t.slug)) rows.push({ slug: t.slug, week: t.week, states: {} });
      }
      rows.sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));

      const feedbackStore = createFeedbackStore(await app.db());
      const answers = new Map((await feedbackStore.byTip()).map((f) => [f.slug, f]));
      const feedbackRows = rows.map((r) => ({ week: r.week, ...(answers.get(r.slug) ?? emptyFeedback(r.slug)) }));
      for (const [slug, f] of answers) if (!rows.some((r) => r.slug === slug)) feedbackRows.push({ week: 0, ...f });
      const comments = await feedbackStore.comments(10);
      const relay = await readRelayState(db);

      if (values.json) {
        const feedback = feedbackRows.map((f) => ({ ...f, answeredShare: share(f) }));
        io.out(
          JSON.stringify(
            {
              subscribers: numbers.subscribers,
              dueNow: numbers.dueNow,
              deliveries: rows,
              feedback,
              comments,
              bounces: { tips: health.tips, last30Days: health.recent, warnings },
              relay,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      const total = Object.values(numbers.subscribers).reduce((a, b) => a + (b ?? 0), 0);
      io.out('Subscribers');
      for (const s of statuses) io.out(`  ${s.padEnd(13)} ${String(numbers.subscribers[s] ?? 0).padStart(8)}`);
      io.out(`  ${'total'.padEnd(13)} ${String(total).padStart(8)}`);
      io.out(`  ${'due now'.padEnd(13)} ${String(numbers.dueNow).padStart(8)}`);
      io.out('');
      io.out('Deliveries by tip');
      const slugWidth = Math.max(12, ...rows.map((r) => r.slug.length));
      io.out(`  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${states.map((s) => s.padStart(9)).join('')}`);
      for (const r of rows)
        io.out(
          `  ${String(r.week).padStart(4)}  ${r.slug.padEnd(slugWidth)}  ${states.map((s) => String(r.states[s] ?? 0).padStart(9)).join('')}`,
        );
      if (rows.length === 0) io.out('  (no tips and no deliveries yet)');
      io.out('');
      io.out('Did this help? (readers: one answer per reader and tip; web: anonymous, from the tip page)');
      const cols = ['yes', 'not really', 'comments', 'answered', 'web yes', 'web no'];
      io.out(`  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${cols.map((c) => c.padStart(11)).join('')}`);
      for (const f of feedbackRows) {
        const answered = share(f);
        const cells = [
          f.yes,
          f.no,
          f.comments + f.webComments,
          answered === null ? '-' : `${Math.round(answered * 100)}%`,
          f.webYes,
          f.webNo,
        ];
        io.out(
          `  ${String(f.week || '?').padStart(4)}  ${f.slug.padEnd(slugWidth)}  ${cells.map((c) => String(c).padStart(11)).join('')}`,
        );
      }
      if (comments.length) {
        io.out('');
        io.out('Latest comments');
        // Quoted as JSON strings: a comment is the reader's text and never reaches the terminal raw.
        for (const c of comments)
          io.out(
            `  ${new Date(c.at).toISOString().slice(0, 10)}  ${c.slug}  ${c.answer === 'yes' ? 'yes' : 'not really'}${c.anonymous ? ' (web)' : ''}: ${JSON.stringify(c.comment)}`,
          );
      }
      io.out('');
      io.out('Bounces and complaints');
      const header = ['delivered', 'bounced', 'rate', 'complaints', 'rate'];
      const line = (f: BounceFigures) =>
        [f.delivered, f.bounced, percent(f.bounceRate), f.complaints, percent(f.complaintRate)]
          .map((v, i) => String(v).padStart(i === 3 ? 11 : 10))
          .join('');
      io.out(
        `  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${header.map((h, i) => h.padStart(i === 3 ? 11 : 10)).join('')}`,
      );
      for (const t of health.tips) io.out(`  ${String(t.week).padStart(4)}  ${t.slug.padEnd(slugWidth)}  ${line(t)}`);
      io.out(`  ${''.padStart(4)}  ${'last 30 days'.padEnd(slugWidth)}  ${line(health.recent)}`);
      io.out('');
      for (const l of relayLines(relay)) io.out(l);
      for (const w of warnings) io.err(w);
      return 0;
    }),
};

export default stats;
