import { loadContent, publishedTips } from '../content/index.ts';
import { seriesStats } from '../store/delivery-stats.ts';
import { createFeedbackStore, type TipFeedback } from '../store/feedback.ts';
import type { DeliveryState, SubscriberStatus } from '../store/schema.ts';
import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const statuses: SubscriberStatus[] = ['active', 'pending', 'paused', 'unsubscribed', 'bounced', 'complained'];
const states: DeliveryState[] = ['sent', 'sending', 'retry', 'failed', 'bounced'];

const emptyFeedback = (slug: string): TipFeedback => ({ slug, yes: 0, no: 0, comments: 0, recipients: 0, webYes: 0, webNo: 0, webComments: 0 });

/** The share of a tip's readers who answered it; null before anyone got it. */
const share = (f: TipFeedback): number | null => (f.recipients ? Math.min(1, (f.yes + f.no) / f.recipients) : null);

const stats: LeafCommand = {
  usage:
    'newsletter stats [--json]\n\nReads the subscriber store, the delivery ledger and the readers\' "Did this help?" answers\n(per tip: yes, not really, comments, the share of its readers who answered, and anonymous\nanswers from the tip\'s web page; then the latest comments).\n  --json   print the numbers as JSON',
  options: { json: { type: 'boolean' } },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const numbers = await seriesStats(await app.db(), io.now().getTime());
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

      if (values.json) {
        const feedback = feedbackRows.map((f) => ({ ...f, answeredShare: share(f) }));
        io.out(JSON.stringify({ subscribers: numbers.subscribers, dueNow: numbers.dueNow, deliveries: rows, feedback, comments }, null, 2));
        return 0;
      }
      const total = Object.values(numbers.subscribers).reduce((a, b) => a + (b ?? 0), 0);
      io.out('Subscribers');
      for (const s of statuses) io.out(`  ${s.padEnd(13)} ${String(numbers.subscribers[s] ?? 0).padStart(8)}`);
      io.out(`  ${'total'.padEnd(13)} ${String(total).padStart(8)}`);
      io.out(`  ${'due now'.padEnd(13)} ${String(numbers.dueNow).padStart(8)}`);
      io.out('');
      io.out('Deliveries by tip');
      const slugWidth = Math.max(4, ...rows.map((r) => r.slug.length));
      io.out(`  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${states.map((s) => s.padStart(9)).join('')}`);
      for (const r of rows) io.out(`  ${String(r.week).padStart(4)}  ${r.slug.padEnd(slugWidth)}  ${states.map((s) => String(r.states[s] ?? 0).padStart(9)).join('')}`);
      if (rows.length === 0) io.out('  (no tips and no deliveries yet)');
      io.out('');
      io.out('Did this help? (readers: one answer per reader and tip; web: anonymous, from the tip page)');
      const cols = ['yes', 'not really', 'comments', 'answered', 'web yes', 'web no'];
      io.out(`  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${cols.map((c) => c.padStart(11)).join('')}`);
      for (const f of feedbackRows) {
        const answered = share(f);
        const cells = [f.yes, f.no, f.comments + f.webComments, answered === null ? '-' : `${Math.round(answered * 100)}%`, f.webYes, f.webNo];
        io.out(`  ${String(f.week || '?').padStart(4)}  ${f.slug.padEnd(slugWidth)}  ${cells.map((c) => String(c).padStart(11)).join('')}`);
      }
      if (comments.length) {
        io.out('');
        io.out('Latest comments');
        // Quoted as JSON strings: a comment is the reader's text and never reaches the terminal raw.
        for (const c of comments) io.out(`  ${new Date(c.at).toISOString().slice(0, 10)}  ${c.slug}  ${c.answer === 'yes' ? 'yes' : 'not really'}${c.anonymous ? ' (web)' : ''}: ${JSON.stringify(c.comment)}`);
      }
      return 0;
    }),
};

export default stats;
