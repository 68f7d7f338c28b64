import { loadContent, publishedTips, type TipHold } from '../content/index.ts';
import type {
  App,
  BounceFigures,
  BounceStats,
  DeliveryState,
  FeedbackComment,
  GuardReport,
  RelayState,
  SiteReport,
  SeriesStats,
  SubscriberStatus,
  TipFeedback,
  StatsReader,
} from '../app.ts';
import type { Io, LeafCommand } from './command.ts';
import { guardLines } from './guard.ts';
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

const DAY = 86_400_000;

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)} %`);

/**
 * The warning for a complaint rate at or above the guard's warning line (the same setting the
 * guard warns at, so `stats` and the pass never disagree), if it is.
 */
function complaintWarning(what: string, f: BounceFigures, line: number): string | undefined {
  if (f.complaintRate === null || f.complaintRate < line) return undefined;
  return `WARNING: spam complaints ${what} are ${percent(f.complaintRate)} of delivered mail (${f.complaints} of ${f.delivered}), at or above the warning line of ${percent(line)} (NEWSLETTER_GUARD_COMPLAINT_WARN; Gmail asks bulk senders to stay under 0.1 % and never reach 0.3 %, or its users stop getting the newsletter). Check who is on the list and how they joined, and that unsubscribing is easy.`;
}

const when = (at: number) => new Date(at).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');

/**
 * The provider sites' section (shaping, issue 26): each site's sent and deferred counts, and for
 * one the deferral reflex suspended, until when and the provider's answer (no address in it).
 */
function siteLines(sites: readonly SiteReport[], now: number): string[] {
  const width = Math.max(12, ...sites.map((s) => s.site.length));
  return [
    'Provider sites (every sender on this database)',
    `  ${'site'.padEnd(width)}  ${'sent'.padStart(9)}${'deferred'.padStart(10)}  state`,
    ...sites.map((s) => {
      const state =
        s.suspendedUntil > now
          ? `suspended until ${when(s.suspendedUntil)}: ${s.reason}`
          : s.suspendedAt > 0
            ? `sending (last suspended ${when(s.suspendedAt)}: ${s.reason})`
            : 'sending';
      return `  ${s.site.padEnd(width)}  ${String(s.sent).padStart(9)}${String(s.deferred).padStart(10)}  ${state}`;
    }),
  ];
}

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
    'newsletter stats [--json]\n\nReads the subscriber store, the delivery ledger and the readers\' "Did this help?" answers\n(per tip: yes, not really, comments, the share of its readers who answered, and anonymous\nanswers from the tip\'s web page; then the latest comments), and bounce and complaint\nrates per tip and for the last 30 days, with a warning from the complaint warning line (0.1 %); then the relay:\nits last connection failure and how many passes stopped early, and why (every sender);\nthen the provider sites: sent, deferred, and which are suspended, why and until when.\n  --json   print the numbers as JSON',
  options: { json: { type: 'boolean' } },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const figures = await readFigures(app, io.now().getTime());
      if (values.json) io.out(JSON.stringify(asJson(figures), null, 2));
      else printFigures(figures, io);
      return 0;
    }),
};

type TipRow = SeriesStats['tips'][number];
type FeedbackRow = TipFeedback & { week: number };

/** Everything `stats` shows, read once. */
interface Figures {
  numbers: SeriesStats;
  health: BounceStats;
  warnings: string[];
  /** Deliveries by tip, published tips nobody has had yet included, in week order. */
  rows: TipRow[];
  feedbackRows: FeedbackRow[];
  comments: FeedbackComment[];
  relay: RelayState;
  guard: GuardReport;
  /** Published tips that do not go out now, with the readers due now who wait for each. */
  holds: (TipHold & { readers: number })[];
  sites: SiteReport[];
  now: number;
}

async function readFigures(app: App, now: number): Promise<Figures> {
  const stats = await app.statsReader();
  const numbers = await stats.series(now);
  const health = await stats.bounces(now - 30 * DAY);
  const line = app.config.guard.complaintWarn;
  const warnings = [
    complaintWarning('in the last 30 days', health.recent, line),
    ...health.tips.map((t) => complaintWarning(`for week ${t.week} (${t.slug})`, t, line)),
  ].filter((w): w is string => w !== undefined);
  const rows = await withUnsentTips(app, numbers.tips);
  const answers = new Map((await stats.feedbackByTip()).map((f) => [f.slug, f]));
  const feedbackRows = rows.map((r) => ({ week: r.week, ...(answers.get(r.slug) ?? emptyFeedback(r.slug)) }));
  for (const [slug, f] of answers) if (!rows.some((r) => r.slug === slug)) feedbackRows.push({ week: 0, ...f });
  return {
    numbers,
    health,
    warnings,
    rows,
    feedbackRows,
    comments: await stats.comments(10),
    relay: await stats.relay(),
    guard: await stats.guard(now),
    holds: await heldTips(app, stats, now),
    sites: await stats.sites(),
    now,
  };
}

/** The tips `check`'s publish rules keep back, with the readers waiting; none when the content cannot load. */
async function heldTips(app: App, stats: StatsReader, now: number): Promise<Figures['holds']> {
  const project = await app.released().catch(() => undefined);
  if (!project || project.holds.size === 0) return [];
  const waiting = await stats.waitingFor(project, now);
  return [...project.holds.values()].map((h) => ({ ...h, readers: waiting.get(h.slug) ?? 0 }));
}

function holdLines(holds: Figures['holds']): string[] {
  if (holds.length === 0) return [];
  return [
    'Tips not going out',
    ...holds.map(
      (h) =>
        `  week ${h.week} (${h.slug}) ${h.kind === 'blocked' ? 'blocked (fails check; not on the site)' : 'held (review)'}: ${h.readers} reader${h.readers === 1 ? '' : 's'} due now wait for it; ${h.why}; release: ${h.release}`,
    ),
  ];
}

/** Published tips nobody has had yet are listed too; the ledger alone cannot know them. */
async function withUnsentTips(app: App, tips: readonly TipRow[]): Promise<TipRow[]> {
  const content = await loadContent(app.config.contentDir, app.config.rootDir).catch(() => undefined);
  const rows = [...tips];
  for (const t of publishedTips(content?.tips ?? [])) {
    if (!rows.some((r) => r.slug === t.slug)) rows.push({ slug: t.slug, week: t.week, states: {} });
  }
  return rows.sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));
}

function asJson(f: Figures) {
  return {
    subscribers: f.numbers.subscribers,
    dueNow: f.numbers.dueNow,
    deliveries: f.rows,
    feedback: f.feedbackRows.map((r) => ({ ...r, answeredShare: share(r) })),
    comments: f.comments,
    bounces: { tips: f.health.tips, last30Days: f.health.recent, warnings: f.warnings },
    relay: f.relay,
    guard: {
      paused: f.guard.paused,
      ...(f.guard.paused
        ? { pausedAt: f.guard.pausedAt, pausedBecause: f.guard.pausedBecause, line: f.guard.line }
        : {}),
      windowStart: f.guard.windowStart,
      ...f.guard.figures,
      complaintRate: f.guard.complaintRate,
      bounceRate: f.guard.bounceRate,
      warnings: f.guard.warnings,
      ...(f.guard.released ? { lastRelease: f.guard.released } : {}),
    },
    holds: f.holds,
    sites: f.sites.map((s) => ({ ...s, suspended: s.suspendedUntil > f.now })),
  };
}

function printFigures(f: Figures, io: Io): void {
  const slugWidth = Math.max(12, ...f.rows.map((r) => r.slug.length));
  const sections = [
    subscriberLines(f.numbers),
    deliveryLines(f.rows, slugWidth),
    feedbackLines(f.feedbackRows, f.comments, slugWidth),
    bounceLines(f.health, slugWidth),
    relayLines(f.relay),
    guardLines(f.guard),
    holdLines(f.holds),
    ...(f.sites.length > 0 ? [siteLines(f.sites, f.now)] : []),
  ].filter((lines) => lines.length > 0);
  sections.forEach((lines, i) => {
    if (i > 0) io.out('');
    for (const line of lines) io.out(line);
  });
  for (const w of f.warnings) io.err(w);
  if (f.guard.paused) io.err(f.guard.line);
}

function subscriberLines(numbers: SeriesStats): string[] {
  const total = Object.values(numbers.subscribers).reduce((a, b) => a + (b ?? 0), 0);
  return [
    'Subscribers',
    ...statuses.map((s) => `  ${s.padEnd(13)} ${String(numbers.subscribers[s] ?? 0).padStart(8)}`),
    `  ${'total'.padEnd(13)} ${String(total).padStart(8)}`,
    `  ${'due now'.padEnd(13)} ${String(numbers.dueNow).padStart(8)}`,
  ];
}

function deliveryLines(rows: readonly TipRow[], slugWidth: number): string[] {
  return [
    'Deliveries by tip',
    `  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${states.map((s) => s.padStart(9)).join('')}`,
    ...rows.map(
      (r) =>
        `  ${String(r.week).padStart(4)}  ${r.slug.padEnd(slugWidth)}  ${states.map((s) => String(r.states[s] ?? 0).padStart(9)).join('')}`,
    ),
    ...(rows.length === 0 ? ['  (no tips and no deliveries yet)'] : []),
  ];
}

function feedbackLines(
  rows: readonly FeedbackRow[],
  comments: readonly FeedbackComment[],
  slugWidth: number,
): string[] {
  const cols = ['yes', 'not really', 'comments', 'answered', 'web yes', 'web no'];
  const out = [
    'Did this help? (readers: one answer per reader and tip; web: anonymous, from the tip page)',
    `  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${cols.map((c) => c.padStart(11)).join('')}`,
  ];
  for (const f of rows) {
    const answered = share(f);
    const cells = [
      f.yes,
      f.no,
      f.comments + f.webComments,
      answered === null ? '-' : `${Math.round(answered * 100)}%`,
      f.webYes,
      f.webNo,
    ];
    out.push(
      `  ${String(f.week || '?').padStart(4)}  ${f.slug.padEnd(slugWidth)}  ${cells.map((c) => String(c).padStart(11)).join('')}`,
    );
  }
  if (comments.length === 0) return out;
  // Quoted as JSON strings: a comment is the reader's text and never reaches the terminal raw.
  return [
    ...out,
    '',
    'Latest comments',
    ...comments.map(
      (c) =>
        `  ${new Date(c.at).toISOString().slice(0, 10)}  ${c.slug}  ${c.answer === 'yes' ? 'yes' : 'not really'}${c.anonymous ? ' (web)' : ''}: ${JSON.stringify(c.comment)}`,
    ),
  ];
}

function bounceLines(health: BounceStats, slugWidth: number): string[] {
  const header = ['delivered', 'bounced', 'rate', 'complaints', 'rate'];
  const line = (f: BounceFigures) =>
    [f.delivered, f.bounced, percent(f.bounceRate), f.complaints, percent(f.complaintRate)]
      .map((v, i) => String(v).padStart(i === 3 ? 11 : 10))
      .join('');
  return [
    'Bounces and complaints',
    `  ${'week'.padStart(4)}  ${'tip'.padEnd(slugWidth)}  ${header.map((h, i) => h.padStart(i === 3 ? 11 : 10)).join('')}`,
    ...health.tips.map((t) => `  ${String(t.week).padStart(4)}  ${t.slug.padEnd(slugWidth)}  ${line(t)}`),
    `  ${''.padStart(4)}  ${'last 30 days'.padEnd(slugWidth)}  ${line(health.recent)}`,
  ];
}

export default stats;
