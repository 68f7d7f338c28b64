// ../../work/wt/h-studio/src/delivery/dispatcher.ts
import { returnPathFor } from "../bounces/verp.js";
import { composeTipMessage } from "../mailer/compose.js";
import { SendError } from "../mailer/mailer.js";
import { nextTipTime, sendClockFor } from "../series/cadence.js";
import { decide, waitReasonText } from "../series/next-tip.js";
import { withoutAddresses } from "../redact.js";
import { connectionLossText, isConnectionLost } from "../store/connection-errors.js";
import { isUnwritable } from "../store/write-probe.js";
import { addressHash } from "../subscription/address.js";
import { listLinks } from "../subscription/links.js";
import { dueItems, JobSource, pendingItems, retryBlocker } from "./job-source.js";
import { passContext } from "./pass-context.js";
import { PassTally } from "./pass-tally.js";
import { RefusalHold } from "./refusal-hold.js";
import { afterTemporaryFailure, RETRY_DELAYS_MS } from "./retry-policy.js";
import { ClaimLease } from "./claim-lease.js";
import { SendGuards } from "./send-guards.js";
async function runPass(input) {
  const ctx = passContext(input);
  const tally = new PassTally(input.onProgress, input.signal);
  tally.due(await ctx.store.countDue(ctx.now, ctx.staleBefore));
  const lease = new ClaimLease(ctx.store, ctx.clock, input.renewClaimsEveryMs);
  try {
    const pass = new Pass(ctx, input, tally, lease);
    await Promise.all(Array.from({ length: Math.max(1, input.mailer.concurrency) }, () => pass.slot()));
    await pass.settleHeld();
  } finally {
    await lease.stop();
  }
  const summary = tally.finish();
  await noteRelayState(ctx, summary);
  return summary;
}
async function noteRelayState(ctx, summary) {
  const { connectionFailure: failure, stopCause, aborted } = summary;
  if (!failure && !stopCause) return;
  try {
    await ctx.store.noteRelayState({
      ...failure ? { connectionFailure: failure } : {},
      ...stopCause && aborted ? { stopped: { cause: stopCause, at: ctx.clock(), why: withoutAddresses(aborted) } } : {}
    });
  } catch {
  }
}
var DATABASE_LOST = "lost the connection to the database";
function databaseProblem(e) {
  const message = e instanceof Error ? e.message : String(e);
  const code = e?.code;
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "53100") {
    return "disk full: the database cannot record sends, so the pass stopped; free space on the disk that holds the database (the messages in flight when it stopped may go out once more)";
  }
  if (isUnwritable(e))
    return `the database cannot be written (${typeof code === "string" ? code : message}), so the pass stopped; make it writable (the messages in flight when it stopped may go out once more)`;
  if (isConnectionLost(e))
    return `${DATABASE_LOST} (${connectionLossText(e)}), so the pass stopped; the next pass goes on once it is back (the messages in flight when it stopped may go out once more)`;
  return `database error: ${message}`;
}
var Pass = class {
  constructor(ctx, deps, tally, lease) {
    this.ctx = ctx;
    this.deps = deps;
    this.tally = tally;
    this.lease = lease;
    this.jobs = new JobSource(ctx, tally);
    this.guards = new SendGuards(deps.mailer);
  }
  ctx;
  deps;
  tally;
  lease;
  jobs;
  guards;
  refusals = new RefusalHold();
  /** The relay's 4.x.x answers about single recipients (see settleFailure), judged at the pass's end. */
  answers = [];
  /**
   * One send slot: claim, send, and hand the settle to the next claim, until the jobs run out. The
   * claim is renewed (the lease) until its settle has committed with that next claim.
   */
  async slot() {
    try {
      let job = await this.jobs.claimNext();
      while (job) {
        this.lease.hold(job.deliveryId);
        const settle = await this.deliver(job);
        const done = job.deliveryId;
        job = await this.jobs.claimNext(settle);
        this.lease.release(done);
      }
    } catch (e) {
      this.tally.abort(databaseProblem(e), "database");
    }
  }
  /** The pass's end: its held refusals become bounces, or go back to retry (see RefusalHold). */
  async settleHeld() {
    await this.chargeAnswers();
    if (this.refusals.size === 0) return;
    const verdict = this.refusals.verdict(this.tally.outcome());
    const held = this.refusals.take();
    if (!verdict.bounce) {
      this.tally.released(held.length, verdict.why);
      return;
    }
    try {
      for (const { email, slug, ...settle } of held) {
        if (await this.ctx.store.settleBounced(settle))
          this.tally.bounced({ email, slug, outcome: "bounced", response: settle.response });
        else this.tally.skipped();
      }
    } catch (e) {
      this.tally.abort(databaseProblem(e), "database");
    }
  }
  /**
   * A 4.x.x about the sender (4.4.x, 4.3.x, 4.7.x) answered for one recipient was about that
   * recipient after all (a greylisting 4.7.1, a recipient domain whose DNS fails) when the relay
   * took mail for others in the same pass, or when the delivery was charged this way before (a
   * later pass may have only this one to try): it is charged to the reader as a temporary failure,
   * so it ends after 72 hours instead of coming back at every pass for ever. In a pass that
   * stopped, or sent nothing and met it first, it stays handed back: that is what an outage looks like.
   */
  async chargeAnswers() {
    const { sent, aborted } = this.tally.outcome();
    const answers = this.answers.splice(0).filter(({ job }) => sent > 0 || job.attempts > 1);
    if (answers.length === 0 || aborted) return;
    try {
      for (const { job, at, response } of answers) {
        const next = afterTemporaryFailure(job.createdAt, job.attempts, at);
        const charged = await this.ctx.store.chargeHandedBack({
          deliveryId: job.deliveryId,
          attempts: job.attempts - 1,
          at,
          response,
          nextAttemptAt: next.state === "retry" ? next.nextAttemptAt : null
        });
        if (charged)
          this.tally.charged(
            next.state === "failed" ? {
              email: job.subscriber.email,
              slug: job.tip.slug,
              outcome: "failed",
              response: `gave up after 72 hours: ${response}`
            } : void 0
          );
      }
    } catch (e) {
      this.tally.abort(databaseProblem(e), "database");
    }
  }
  /** Sends one job; a success comes back as its settle, for the slot's next claim to commit. */
  async deliver(job) {
    let response;
    try {
      response = (await this.deps.mailer.send(await this.compose(job))).response;
    } catch (e) {
      await this.settleFailure(
        job,
        e instanceof SendError ? e : new SendError("unavailable", `not sent: ${e instanceof Error ? e.message : String(e)}`)
      );
      return void 0;
    }
    this.guards.sent();
    const at = this.ctx.clock();
    const nextSendAt = job.nextSendAt ?? nextTipTime(new Date(at), job.clock, this.ctx.cadenceDays).getTime();
    return { deliveryId: job.deliveryId, subscriberId: job.subscriber.id, at, response, nextSendAt };
  }
  async compose(job) {
    const { renderer, settings } = this.deps;
    const compiled = await renderer.compileTip(job.tip);
    const links = listLinks(
      settings.baseUrl,
      settings.secret,
      job.subscriber.publicId,
      new Date(this.ctx.clock()),
      job.tip.slug
    );
    const finished = renderer.personaliseParts(compiled, { name: job.subscriber.name, ...links });
    const returnPath = settings.bounceAddress ? returnPathFor(settings.bounceAddress, settings.secret, job.deliveryId, new Date(this.ctx.clock())) : void 0;
    return composeTipMessage(finished, job.subscriber, this.ctx.sender, {
      messageId: job.messageId,
      unsubscribeUrl: links.unsubscribeUrl,
      slug: job.tip.slug,
      ...returnPath ? { returnPath } : {}
    });
  }
  async settleFailure(job, error) {
    const stop = this.guards.failed(error);
    if (stop) this.tally.abort(stop.why, stop.cause);
    const { store } = this.ctx;
    const { email } = job.subscriber;
    const at = this.ctx.clock();
    if (error.connection) this.tally.connectionFailed(at, withoutAddresses(error.response).slice(0, 500));
    if (error.kind === "relay" || error.kind === "unavailable") {
      if (!await store.settleHandedBack(job.deliveryId, at, error.response)) return this.tally.skipped();
      this.tally.handedBack();
      if (error.kind === "relay" && !error.connection && error.about.recipient)
        this.answers.push({ job, at, response: error.response });
      return;
    }
    const next = afterTemporaryFailure(job.createdAt, job.attempts, at);
    if (error.kind === "permanent") {
      const retryAt = next.state === "retry" ? next.nextAttemptAt : at + RETRY_DELAYS_MS[0];
      if (!await store.settleRefused(job.deliveryId, at, error.response, retryAt)) return this.tally.skipped();
      this.refusals.hold({
        deliveryId: job.deliveryId,
        subscriberId: job.subscriber.id,
        emailHash: addressHash(email),
        at,
        response: error.response,
        heldAttempts: job.attempts,
        email,
        slug: job.tip.slug
      });
      return;
    }
    if (next.state === "failed") {
      if (!await store.settleFailed(job.deliveryId, at, error.response, "temporary")) return this.tally.skipped();
      this.tally.failed({
        email,
        slug: job.tip.slug,
        outcome: "failed",
        response: `gave up after 72 hours: ${error.response}`
      });
    } else {
      if (!await store.settleRetry(job.deliveryId, at, error.response, next.nextAttemptAt))
        return this.tally.skipped();
      this.tally.retried();
    }
  }
};
async function* planPass(input) {
  const ctx = passContext(input);
  for await (const { delivery: d, suppressed } of pendingItems(ctx)) {
    const blocker = retryBlocker(ctx, d, suppressed, ctx.now);
    yield blocker ? { email: d.subscriber.email, action: "skip", slug: d.slug, week: d.week, reason: blocker.reason } : { email: d.subscriber.email, action: d.state === "retry" ? "retry" : "resend", slug: d.slug, week: d.week };
  }
  for await (const { subscriber: s, ledger, suppressed } of dueItems(ctx)) {
    const decision = decide(s, ledger, suppressed, ctx.published, ctx.now, sendClockFor(s, ctx.defaults));
    yield decision.kind === "send" ? { email: s.email, action: "send", slug: decision.tip.slug, week: decision.tip.week } : { email: s.email, action: "skip", reason: waitReasonText[decision.reason] };
  }
}
export {
  planPass,
  runPass
};
//# sourceMappingURL=dispatcher.js.map
