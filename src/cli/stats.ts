import { loadContent, publishedTips } from '../content/index.ts';
import { seriesStats } from '../store/delivery-stats.ts';
import type { DeliveryState, SubscriberStatus } from '../store/schema.ts';
import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const statuses: SubscriberStatus[] = ['active', 'pending', 'paused', 'unsubscribed', 'bounced', 'complained'];
const states: DeliveryState[] = ['sent', 'sending', 'retry', 'failed', 'bounced'];

const stats: LeafCommand = {
  usage: 'newsletter stats [--json]\n\nReads the subscriber store and the delivery ledger.\n  --json   print the numbers as JSON',
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

      if (values.json) {
        io.out(JSON.stringify({ subscribers: numbers.subscribers, dueNow: numbers.dueNow, deliveries: rows }, null, 2));
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
      return 0;
    }),
};

export default stats;
