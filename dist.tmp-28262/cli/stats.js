// ../../work/wt/h-studio/src/cli/stats.ts
import { loadContent, publishedTips } from "../content/index.js";
import { withApp } from "./with-app.js";
var statuses = ["active", "pending", "paused", "unsubscribed", "bounced", "complained"];
var states = ["sent", "sending", "retry", "failed", "bounced"];
var emptyFeedback = (slug) => ({
  slug,
  yes: 0,
  no: 0,
  comments: 0,
  recipients: 0,
  webYes: 0,
  webNo: 0,
  webComments: 0
});
var share = (f) => f.recipients ? Math.min(1, (f.yes + f.no) / f.recipients) : null;
var COMPLAINT_LINE = 3e-3;
var DAY = 864e5;
var percent = (rate) => rate === null ? "-" : `${(rate * 100).toFixed(2)} %`;
function complaintWarning(what, f) {
  if (f.complaintRate === null || f.complaintRate < COMPLAINT_LINE) return void 0;
  return `WARNING: spam complaints ${what} are ${percent(f.complaintRate)} of delivered mail (${f.complaints} of ${f.delivered}), at or above the 0.3 % line Gmail and Yahoo set for bulk senders; above it their users stop getting the newsletter. Check who is on the list and how they joined, and that unsubscribing is easy.`;
}
var when = (at) => new Date(at).toISOString().replace(/:\d\d\.\d{3}Z$/, "Z");
function relayLines(relay) {
  const out = ["Relay (every sender on this database)"];
  const failure = relay.lastConnectionFailure;
  out.push(
    failure ? `  last connection failure  ${when(failure.lastAt)}: ${failure.last} (${failure.count} pass${failure.count === 1 ? "" : "es"} met one)` : "  last connection failure  none"
  );
  const stops = Object.entries(relay.passesStopped);
  const total = stops.reduce((n, [, e]) => n + e.count, 0);
  out.push(`  passes stopped early     ${total}`);
  for (const [cause, e] of stops)
    out.push(`    ${cause.padEnd(21)} ${String(e.count).padStart(6)}  last ${when(e.lastAt)}: ${e.last}`);
  return out;
}
var stats = {
  usage: `newsletter stats [--json]

Reads the subscriber store, the delivery ledger and the readers' "Did this help?" answers
(per tip: yes, not really, comments, the share of its readers who answered, and anonymous
answers from the tip's web page; then the latest comments), and bounce and complaint
rates per tip and for the last 30 days, with a warning at 0.3 % complaints; then the relay:
its last connection failure and how many passes stopped early, and why (every sender).
  --json   print the numbers as JSON`,
  options: { json: { type: "boolean" } },
  run: ({ values }, io) => withApp(io, async (app) => {
    const figures = await readFigures(app, io.now().getTime());
    if (values.json) io.out(JSON.stringify(asJson(figures), null, 2));
    else printFigures(figures, io);
    return 0;
  })
};
async function readFigures(app, now) {
  const stats2 = await app.statsReader();
  const numbers = await stats2.series(now);
  const health = await stats2.bounces(now - 30 * DAY);
  const warnings = [
    complaintWarning("in the last 30 days", health.recent),
    ...health.tips.map((t) => complaintWarning(`for week ${t.week} (${t.slug})`, t))
  ].filter((w) => w !== void 0);
  const rows = await withUnsentTips(app, numbers.tips);
  const answers = new Map((await stats2.feedbackByTip()).map((f) => [f.slug, f]));
  const feedbackRows = rows.map((r) => ({ week: r.week, ...answers.get(r.slug) ?? emptyFeedback(r.slug) }));
  for (const [slug, f] of answers) if (!rows.some((r) => r.slug === slug)) feedbackRows.push({ week: 0, ...f });
  return {
    numbers,
    health,
    warnings,
    rows,
    feedbackRows,
    comments: await stats2.comments(10),
    relay: await stats2.relay()
  };
}
async function withUnsentTips(app, tips) {
  const content = await loadContent(app.config.contentDir, app.config.rootDir).catch(() => void 0);
  const rows = [...tips];
  for (const t of publishedTips(content?.tips ?? [])) {
    if (!rows.some((r) => r.slug === t.slug)) rows.push({ slug: t.slug, week: t.week, states: {} });
  }
  return rows.sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));
}
function asJson(f) {
  return {
    subscribers: f.numbers.subscribers,
    dueNow: f.numbers.dueNow,
    deliveries: f.rows,
    feedback: f.feedbackRows.map((r) => ({ ...r, answeredShare: share(r) })),
    comments: f.comments,
    bounces: { tips: f.health.tips, last30Days: f.health.recent, warnings: f.warnings },
    relay: f.relay
  };
}
function printFigures(f, io) {
  const slugWidth = Math.max(12, ...f.rows.map((r) => r.slug.length));
  const sections = [
    subscriberLines(f.numbers),
    deliveryLines(f.rows, slugWidth),
    feedbackLines(f.feedbackRows, f.comments, slugWidth),
    bounceLines(f.health, slugWidth),
    relayLines(f.relay)
  ];
  sections.forEach((lines, i) => {
    if (i > 0) io.out("");
    for (const line of lines) io.out(line);
  });
  for (const w of f.warnings) io.err(w);
}
function subscriberLines(numbers) {
  const total = Object.values(numbers.subscribers).reduce((a, b) => a + (b ?? 0), 0);
  return [
    "Subscribers",
    ...statuses.map((s) => `  ${s.padEnd(13)} ${String(numbers.subscribers[s] ?? 0).padStart(8)}`),
    `  ${"total".padEnd(13)} ${String(total).padStart(8)}`,
    `  ${"due now".padEnd(13)} ${String(numbers.dueNow).padStart(8)}`
  ];
}
function deliveryLines(rows, slugWidth) {
  return [
    "Deliveries by tip",
    `  ${"week".padStart(4)}  ${"tip".padEnd(slugWidth)}  ${states.map((s) => s.padStart(9)).join("")}`,
    ...rows.map(
      (r) => `  ${String(r.week).padStart(4)}  ${r.slug.padEnd(slugWidth)}  ${states.map((s) => String(r.states[s] ?? 0).padStart(9)).join("")}`
    ),
    ...rows.length === 0 ? ["  (no tips and no deliveries yet)"] : []
  ];
}
function feedbackLines(rows, comments, slugWidth) {
  const cols = ["yes", "not really", "comments", "answered", "web yes", "web no"];
  const out = [
    "Did this help? (readers: one answer per reader and tip; web: anonymous, from the tip page)",
    `  ${"week".padStart(4)}  ${"tip".padEnd(slugWidth)}  ${cols.map((c) => c.padStart(11)).join("")}`
  ];
  for (const f of rows) {
    const answered = share(f);
    const cells = [
      f.yes,
      f.no,
      f.comments + f.webComments,
      answered === null ? "-" : `${Math.round(answered * 100)}%`,
      f.webYes,
      f.webNo
    ];
    out.push(
      `  ${String(f.week || "?").padStart(4)}  ${f.slug.padEnd(slugWidth)}  ${cells.map((c) => String(c).padStart(11)).join("")}`
    );
  }
  if (comments.length === 0) return out;
  return [
    ...out,
    "",
    "Latest comments",
    ...comments.map(
      (c) => `  ${new Date(c.at).toISOString().slice(0, 10)}  ${c.slug}  ${c.answer === "yes" ? "yes" : "not really"}${c.anonymous ? " (web)" : ""}: ${JSON.stringify(c.comment)}`
    )
  ];
}
function bounceLines(health, slugWidth) {
  const header = ["delivered", "bounced", "rate", "complaints", "rate"];
  const line = (f) => [f.delivered, f.bounced, percent(f.bounceRate), f.complaints, percent(f.complaintRate)].map((v, i) => String(v).padStart(i === 3 ? 11 : 10)).join("");
  return [
    "Bounces and complaints",
    `  ${"week".padStart(4)}  ${"tip".padEnd(slugWidth)}  ${header.map((h, i) => h.padStart(i === 3 ? 11 : 10)).join("")}`,
    ...health.tips.map((t) => `  ${String(t.week).padStart(4)}  ${t.slug.padEnd(slugWidth)}  ${line(t)}`),
    `  ${"".padStart(4)}  ${"last 30 days".padEnd(slugWidth)}  ${line(health.recent)}`
  ];
}
var stats_default = stats;
export {
  COMPLAINT_LINE,
  stats_default as default
};
//# sourceMappingURL=stats.js.map
