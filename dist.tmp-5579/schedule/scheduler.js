// ../../work/wt/h-studio/src/schedule/scheduler.ts
import cron from "node-cron";
import { formatProblem } from "../problems.js";
import { describeDrain, keepHouse } from "./housekeeping.js";
import { connectionLossText, isConnectionLost } from "../store/connection-errors.js";
import { withoutAddresses } from "../redact.js";
var messageOf = (e) => e instanceof Error ? e.message : String(e);
function startScheduler(deps) {
  const stopping = new AbortController();
  const ctx = {
    deps,
    log: deps.log ?? ((line) => console.log(line)),
    clock: deps.now ?? (() => /* @__PURE__ */ new Date()),
    signal: stopping.signal
  };
  let running;
  function tick() {
    if (stopping.signal.aborted) return Promise.resolve(void 0);
    if (running) {
      ctx.log("[scheduler] the previous pass is still running; this tick is skipped");
      return Promise.resolve(void 0);
    }
    const current = chores(ctx).then(() => pass(ctx)).then(async (summary) => {
      await pollBounces(ctx);
      return summary;
    }).finally(() => {
      running = void 0;
    });
    running = current;
    return current;
  }
  const task = cron.schedule(deps.cron, () => void tick(), { name: "newsletter-dispatch" });
  ctx.log(`[scheduler] dispatch pass on "${deps.cron}"`);
  return {
    tick,
    async stop() {
      stopping.abort();
      await task.destroy();
      await running;
    }
  };
}
async function pass({ deps, log, clock, signal }) {
  try {
    const project = await deps.loadProject();
    const now = clock();
    const summary = await deps.pass.run({
      renderer: project.renderer,
      series: project.series,
      tips: project.tips,
      now,
      signal
    });
    deps.onPass?.(summary);
    logPass(log, summary, now, project);
    return summary;
  } catch (e) {
    if (isConnectionLost(e))
      log(`[scheduler] lost the connection to the database (${connectionLossText(e)}); the next tick tries again`);
    else log(`[scheduler] pass failed: ${messageOf(e)}`);
    return void 0;
  }
}
function logPass(log, summary, now, project) {
  const busy = summary.sent + summary.retried + summary.failed + summary.bounced > 0;
  log(
    `[scheduler] pass at ${now.toISOString()}: sent ${summary.sent}, failed ${summary.failed}, bounced ${summary.bounced}, retried later ${summary.retried}, skipped ${summary.skipped}`,
    passFields(summary, now)
  );
  if (busy || summary.aborted)
    for (const p of summary.problems)
      log(`[scheduler] ${p.outcome}${p.slug ? ` (${p.slug})` : ""}: ${withoutAddresses(p.response)}`);
  if (busy)
    for (const p of project.problems.filter((p2) => p2.severity === "error"))
      log(`[scheduler] not sent until fixed: ${formatProblem(p)}`);
  if (summary.refusalsReleased) log(`[scheduler] ${summary.refusalsReleased}`);
  if (summary.aborted) log(`[scheduler] pass stopped early: ${summary.aborted}; the next tick retries`);
}
async function chores({ deps, log, clock, signal }) {
  if (signal.aborted) return;
  try {
    const done = await keepHouse({ subscriptions: deps.subscriptions, now: clock(), signal });
    if (done.purged) log(`[scheduler] erased ${done.purged} sign-up(s) left unconfirmed for 30 days`);
    const drained = describeDrain(done.systemEmails);
    if (drained) log(`[scheduler] ${withoutAddresses(drained)}`, { event: "system-emails", ...done.systemEmails });
  } catch (e) {
    log(`[scheduler] chores failed: ${withoutAddresses(messageOf(e))}; the next tick tries again`);
  }
}
async function pollBounces({ deps, log, clock, signal }) {
  const configured = deps.bounceMailbox;
  if (!configured || signal.aborted) return;
  const { mailboxSettings, pollMailbox } = await import("../bounces/imap.js");
  const mailbox = mailboxSettings(configured.url);
  try {
    const polled = await pollMailbox(await configured.deps(), mailbox, clock);
    if (polled.handled || polled.unmatched || polled.left) {
      log(
        `[scheduler] bounce mailbox: ${polled.handled} applied, ${polled.unmatched} not matched to a reader (moved to ${mailbox.unmatched}), ${polled.left} left for the next tick`,
        { bounces: polled }
      );
    }
  } catch (e) {
    log(
      `[scheduler] bounce mailbox ${mailbox.host}:${mailbox.port}/${mailbox.mailbox} could not be read: ${withoutAddresses(messageOf(e))}; the next tick tries again`
    );
  }
}
function passFields(s, at) {
  const seconds = s.elapsedMs / 1e3;
  return {
    event: "pass",
    at: at.toISOString(),
    due: s.due,
    sent: s.sent,
    failed: s.failed,
    bounced: s.bounced,
    retried: s.retried,
    skipped: s.skipped,
    durationMs: Math.round(s.elapsedMs),
    ratePerSecond: seconds > 0 ? Math.round(s.sent / seconds * 10) / 10 : 0,
    ...s.aborted ? { aborted: s.aborted } : {}
  };
}
export {
  startScheduler
};
//# sourceMappingURL=scheduler.js.map
