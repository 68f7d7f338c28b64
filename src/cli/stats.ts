import { loadConfig, readEnv } from '../config.ts';
import { loadContent, publishedTips } from '../content/index.ts';
import { seriesStats } from '../store/delivery-stats.ts';
import { migrate, openStore } from '../store/database.ts';
import type { DeliveryState, SubscriberStatus } from '../store/schema.ts';
import type { Command } from './command.ts';

const statuses: SubscriberStatus[] = ['active', 'pending', 'paused', 'unsubscribed', 'bounced', 'complained'];
const states: DeliveryState[] = ['sent', 'sending', 'retry', 'failed', 'bounced'];

export const statsCommand: Command = {
  name: 'stats',
  summary: "the series' numbers: subscribers by status, deliveries by tip and state",
  usage: 'newsletter stats [--json]\n\nReads the subscriber store and the delivery ledger.\n  --json   print the numbers as JSON',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
    const db = openStore(config.database);
    let stats;
    try {
      await migrate(db);
      stats = await seriesStats(db, io.now().getTime());
    } finally {
      await db.destroy();
    }
    // Published tips nobody has had yet are listed too; the ledger alone cannot know them.
    const content = await loadContent(config.contentDir, config.rootDir).catch(() => undefined);
    const rows = [...stats.tips];
    for (const t of publishedTips(content?.tips ?? [])) {
      if (!rows.some((r) => r.slug === t.slug)) rows.push({ slug: t.slug, week: t.week, states: {} });
    }
    rows.sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));

    if (values.json) {
      io.out(JSON.stringify({ subscribers: stats.subscribers, dueNow: stats.dueNow, deliveries: rows }, null, 2));
      return 0;
    }
    const total = Object.values(stats.subscribers).reduce((a, b) => a + (b ?? 0), 0);
    io.out('Subscribers');
    for (const s of statuses) io.out(`  ${s.padEnd(13)} ${String(stats.subscribers[s] ?? 0).padStart(8)}`);
    io.out(`  ${'total'.padEnd(13)} ${String(total).padStart(8)}`);
    io.out(`  ${'due now'.padEnd(13)} ${String(stats.dueNow).padStart(8)}`);
    io.out('');
    io.out('Deliveries by tip');
    const slugWidth = Math.max(4, ...rows.map((r) => r.slug.length));
    io.out(`  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${states.map((s) => s.padStart(9)).join('')}`);
    for (const r of rows) io.out(`  ${String(r.week).padStart(4)}  ${r.slug.padEnd(slugWidth)}  ${states.map((s) => String(r.states[s] ?? 0).padStart(9)).join('')}`);
    if (rows.length === 0) io.out('  (no tips and no deliveries yet)');
    return 0;
  },
};
