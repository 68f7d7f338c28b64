// ../../work/wt/h-studio/src/cli/send.ts
import { formatProblem } from "../problems.js";
import { connectionLossText, isConnectionLost } from "../app.js";
import { UsageError } from "./command.js";
import { linksUse } from "./links-note.js";
import { listenForStop } from "./stop-signal.js";
import { refusedByProductionGates } from "./production-gates.js";
import { describeDrain } from "../schedule/housekeeping.js";
import { withApp } from "./with-app.js";
function parseAt(value) {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const at = new Date(value);
  if (!ok || Number.isNaN(at.getTime()))
    throw new UsageError(`--at "${value}" is not an ISO-8601 time with a zone; e.g. --at 2026-03-01T19:00:00Z`);
  return at;
}
var n = (x) => x.toLocaleString("en-US");
function summaryLine(s) {
  const seconds = s.elapsedMs / 1e3;
  const rate = seconds > 0 ? s.sent / seconds : 0;
  return `sent ${n(s.sent)}, failed ${n(s.failed)}, bounced ${n(s.bounced)}, retried later ${n(s.retried)}, skipped ${n(s.skipped)} (${n(s.due)} due) in ${seconds.toFixed(1)} s, ${rate.toFixed(rate < 10 ? 1 : 0)} messages/s`;
}
function progressBar(io) {
  const canDraw = io.isTty && io.write !== void 0;
  const write = (text) => io.write?.(text);
  let last = 0;
  let drawn = false;
  return {
    draw(s, force = false) {
      if (!canDraw) return;
      const t = s.elapsedMs;
      if (!force && t - last < 100) return;
      last = t;
      const done = s.sent + s.retried + s.failed + s.bounced + s.skipped;
      const total = Math.max(s.due, done, 1);
      const width = 24;
      const filled = Math.round(done / total * width);
      const rate = t > 0 ? s.sent / t * 1e3 : 0;
      write(
        `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${n(done)}/${n(total)}  sent ${n(s.sent)} \xB7 retry ${n(s.retried)} \xB7 failed ${n(s.failed + s.bounced)} \xB7 skipped ${n(s.skipped)} \xB7 ${rate.toFixed(0)}/s\x1B[K`
      );
      drawn = true;
    },
    clear() {
      if (drawn) write("\r\x1B[K");
    }
  };
}
var send = {
  usage: [
    "newsletter send [--at ISO-8601] [--dry-run]",
    "",
    "Runs one dispatch pass (applying database migrations first) and prints a summary:",
    "sent, failed, bounced, retried later, skipped, messages per second.",
    "  --at TIME    run as if the time were TIME, e.g. 2026-03-01T19:00:00Z (default: now)",
    "  --dry-run    send nothing and change nothing; list who would get which tip",
    "SIGTERM or Ctrl-C (SIGINT) stops the pass as `start` does: the messages in flight finish and",
    "are recorded, nothing new is claimed, the summary is printed, exit 0; the readers still due",
    "get their tips at the next pass. A second signal ends it at once.",
    "With NODE_ENV=production it sends nothing while `newsletter check --production` fails (an",
    "http base URL, the placeholder postal address or sender), printing those problems, and it",
    "needs NEWSLETTER_SMTP_URL (the outbox folder only when NEWSLETTER_OUTBOX_DIR is set).",
    "Exit 1 when the pass stops early for a failure (SMTP server unavailable, database error or",
    "lost connection) or is refused, with one line that says why."
  ].join("\n"),
  options: { at: { type: "string" }, "dry-run": { type: "boolean" } },
  async run({ values }, io) {
    const now = typeof values.at === "string" ? parseAt(values.at) : io.now();
    const dryRun = Boolean(values["dry-run"]);
    const stop = dryRun ? void 0 : listenForStop(
      (signal) => io.err(`${signal}: finishing the messages in flight and claiming no more (a second ${signal} stops at once)`)
    );
    try {
      return await withApp(io, (app) => dryRun ? dryRunPass(app, now, io) : sendPass(app, now, io, stop));
    } catch (e) {
      if (!isConnectionLost(e)) throw e;
      io.err(
        `the database cannot be reached (${connectionLossText(e)}): nothing more was sent; check that it is running and that NEWSLETTER_DATABASE_URL points at it, then run \`newsletter send\` again`
      );
      return 1;
    } finally {
      stop?.dispose();
    }
  }
};
async function passParts(app, io) {
  const project = await app.project();
  for (const p of project.problems.filter((p2) => p2.severity === "error"))
    io.err(`${formatProblem(p)} (this tip is not sent until it is fixed)`);
  return { project, pass: await app.deliveryPass() };
}
async function dryRunPass(app, now, io) {
  const { project, pass } = await passParts(app, io);
  const counts = { send: 0, retry: 0, resend: 0, skip: 0 };
  for await (const line of pass.plan({ series: project.series, tips: project.tips, now })) {
    counts[line.action]++;
    const what = line.week !== void 0 ? `week ${line.week} (${line.slug})` : "";
    io.out(`${line.action.padEnd(6)} ${line.email}${what ? ` \u2190 ${what}` : ""}${line.reason ? `: ${line.reason}` : ""}`);
  }
  io.out(
    `dry run at ${now.toISOString()}: would send ${n(counts.send)}, retry ${n(counts.retry + counts.resend)}, skip ${n(counts.skip)}; nothing was sent or changed; ${linksUse(app.config)}`
  );
  return 0;
}
async function sendPass(app, now, io, stop) {
  if (await refusedByProductionGates(app.config, (await app.project()).series, io.err, "send")) return 1;
  const { project, pass } = await passParts(app, io);
  const mailer = await app.mailer();
  const drained = describeDrain(await (await app.subscriptions()).drainSystemEmails(now, { signal: stop.signal }));
  if (drained) io.out(drained);
  const bar = progressBar(io);
  let summary;
  try {
    if (io.isTty) io.out(`Dispatch pass at ${now.toISOString()} through ${mailer.describe()}`);
    summary = await pass.run({
      series: project.series,
      tips: project.tips,
      now,
      renderer: project.renderer,
      onProgress: (s) => bar.draw(s),
      signal: stop.signal
    });
  } finally {
    bar.clear();
  }
  io.out(`${summaryLine(summary)}; ${linksUse(app.config)}`);
  for (const p of summary.problems) io.err(`${p.outcome}: ${p.email}${p.slug ? ` (${p.slug})` : ""}: ${p.response}`);
  if (summary.refusalsReleased)
    io.err(`${summary.refusalsReleased}. Check the SMTP server, its account and NEWSLETTER_FROM.`);
  if (summary.stoppedOnRequest) {
    io.err(
      `Stopped by ${stop.received() ?? "request"}: the messages in flight were finished and recorded, nothing new was claimed; the readers still due get their tips at the next pass.`
    );
    return 0;
  }
  if (summary.aborted) {
    io.err(`Pass stopped early: ${summary.aborted}. Nothing unsent was marked sent; the next pass retries.`);
    return 1;
  }
  return 0;
}
var send_default = send;
export {
  send_default as default,
  parseAt,
  summaryLine
};
//# sourceMappingURL=send.js.map
