// ../../work/wt/h-studio/src/delivery/job-source.ts
import { tipMessageId } from "../mailer/compose.js";
import { nextTipTime, sendClockFor } from "../series/cadence.js";
import { decide, waitReasonText } from "../series/next-tip.js";
import { addressHash } from "../subscription/address.js";
import { isSubscribed } from "../subscription/status.js";
import { GIVE_UP_AFTER_MS } from "./retry-policy.js";
var OUTAGE_MARGIN_MS = 60 * 6e4;
function retryBlocker(ctx, d, suppressed, at) {
  const { status } = d.subscriber;
  if (!isSubscribed(status)) return { reason: `not sent: the subscriber is ${status}`, final: true };
  if (status === "paused") return { reason: "waiting: the subscriber is paused", final: false };
  if (d.subscriber.cycle !== d.cycle) return { reason: "not sent: the subscriber restarted the series", final: true };
  if (suppressed) return { reason: "not sent: the address is suppressed", final: true };
  if (d.attempts > 0 && at > d.createdAt + GIVE_UP_AFTER_MS + OUTAGE_MARGIN_MS)
    return { reason: "not sent: 72 hours passed while no pass ran", final: true };
  if (!ctx.bySlug.has(d.slug)) return { reason: `waiting: tip "${d.slug}" is not published now`, final: false };
  return void 0;
}
async function* pendingItems(ctx) {
  let afterId = 0;
  for (; ; ) {
    const batch = await ctx.store.pendingRetries(ctx.now, ctx.staleBefore, afterId, ctx.batchSize);
    if (batch.length === 0) return;
    const suppressed = await ctx.store.suppressed(batch.map((d) => addressHash(d.subscriber.email)));
    for (const d of batch) yield { delivery: d, suppressed: suppressed.has(addressHash(d.subscriber.email)) };
    if (batch.length < ctx.batchSize) return;
    afterId = batch[batch.length - 1].id;
  }
}
async function* dueItems(ctx) {
  const from = ctx.startAt === void 0 ? void 0 : await ctx.store.dueCursorAt(ctx.now, ctx.startAt);
  yield* dueSweep(ctx, from);
  if (from) yield* dueSweep(ctx, void 0);
}
async function* dueSweep(ctx, from) {
  let cursor = from;
  for (; ; ) {
    const batch = await ctx.store.dueSubscribers(ctx.now, cursor, ctx.batchSize);
    if (batch.length === 0) return;
    const ledger = await ctx.store.ledger(batch.map((s) => s.id));
    const hashes = new Map(batch.map((s) => [s.id, addressHash(s.email)]));
    const suppressed = await ctx.store.suppressed([...hashes.values()]);
    for (const s of batch)
      yield { subscriber: s, ledger: ledger.get(s.id) ?? [], suppressed: suppressed.has(hashes.get(s.id)) };
    if (batch.length < ctx.batchSize) return;
    const last = batch[batch.length - 1];
    cursor = { nextSendAt: last.nextSendAt, id: last.id };
  }
}
var JobSource = class {
  constructor(ctx, tally) {
    this.ctx = ctx;
    this.tally = tally;
    this.retries = pendingItems(ctx);
    this.due = dueItems(ctx);
  }
  ctx;
  tally;
  retries;
  due;
  waiting = [];
  running = false;
  scheduled = false;
  /** The next claimed job, or undefined when there is none or the pass is stopping. */
  claimNext(settle) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ settle, resolve, reject });
      if (this.running || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }
  async drain() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          const jobs = await this.claimGroup(
            group.length,
            group.flatMap((w) => w.settle ? [w.settle] : [])
          );
          group.forEach((w, i) => w.resolve(jobs[i]));
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
  /**
   * Up to `wanted` jobs; every settle is committed whatever becomes of the claims. A message
   * counts as sent in the pass's summary only once its settle is committed, so the summary
   * never says more than the database (a disk that fills mid-pass fails the commit).
   */
  async claimGroup(wanted, settles) {
    const jobs = [];
    let unsettled = settles;
    const takeSettles = () => {
      const s = unsettled;
      unsettled = [];
      return s;
    };
    const count = (taken, settled) => {
      for (let i = 0; i < settled; i++) this.tally.sent();
      for (let i = settled; i < taken; i++) this.tally.skipped();
    };
    const counted = async (taken, write) => {
      const r = await write(taken);
      count(taken.length, r.settled);
      if ("failed" in r) throw r.failed;
      return r;
    };
    try {
      while (jobs.length < wanted && !this.tally.stopped()) {
        const retry = await this.retries.next();
        if (!retry.done) {
          const job = await this.claimRetry(retry.value, takeSettles, counted);
          if (job) jobs.push(job);
          continue;
        }
        const candidates = await this.nextCandidates(wanted - jobs.length);
        if (candidates.length === 0) break;
        const { claimed } = await counted(
          takeSettles(),
          (settled) => this.ctx.store.claimMany(
            candidates.map((c) => c.claim),
            settled
          )
        );
        candidates.forEach((c, i) => {
          const d = claimed[i];
          if (d) jobs.push({ ...c.job, deliveryId: d.id, attempts: d.attempts, createdAt: d.createdAt });
          else this.tally.skipped();
        });
      }
      return jobs;
    } finally {
      const left = takeSettles();
      if (left.length > 0) await counted(left, (settled) => this.ctx.store.claimMany([], settled));
    }
  }
  async claimRetry({ delivery: d, suppressed }, takeSettles, counted) {
    const { store } = this.ctx;
    const at = this.ctx.clock();
    const blocker = retryBlocker(this.ctx, d, suppressed, at);
    if (blocker) {
      if (blocker.final) await store.settleFailed(d.id, at, blocker.reason, "skipped");
      this.tally.skipped();
      return void 0;
    }
    const settles = takeSettles();
    if (settles.length > 0) await counted(settles, (settled) => store.claimMany([], settled));
    if (!await store.claimRetry(d, at)) {
      this.tally.skipped();
      return void 0;
    }
    return {
      deliveryId: d.id,
      attempts: d.attempts + 1,
      // Its first real attempt is this one when the relay handed back every earlier claim.
      createdAt: d.attempts === 0 ? at : d.createdAt,
      messageId: d.messageId,
      tip: this.ctx.bySlug.get(d.slug),
      subscriber: d.subscriber,
      clock: sendClockFor(d.subscriber, this.ctx.defaults)
    };
  }
  /** The next `n` due readers who get a tip now; those who wait are rescheduled on the way. */
  async nextCandidates(n) {
    const { store, sender, cadenceDays } = this.ctx;
    const out = [];
    while (out.length < n && !this.tally.stopped()) {
      const next = await this.due.next();
      if (next.done) break;
      const { subscriber: s, ledger, suppressed } = next.value;
      const clock = sendClockFor(s, this.ctx.defaults);
      const decision = decide(s, ledger, suppressed, this.ctx.published, this.ctx.now, clock);
      if (decision.kind === "wait") {
        await store.reschedule(s.id, s.nextSendAt, decision.until);
        this.tally.skipped(
          decision.reason === "suppressed" ? { email: s.email, slug: "", outcome: "suppressed", response: waitReasonText.suppressed } : void 0
        );
        continue;
      }
      const { tip } = decision;
      const at = this.ctx.clock();
      const messageId = tipMessageId(s.publicId, tip.slug, s.cycle, sender.from);
      const nextSendAt = nextTipTime(new Date(at), clock, cadenceDays).getTime();
      out.push({
        claim: {
          subscriberId: s.id,
          cycle: s.cycle,
          expectedNextSendAt: s.nextSendAt,
          nextSendAt,
          slug: tip.slug,
          week: tip.week,
          messageId,
          at
        },
        job: { messageId, tip, subscriber: s, clock, nextSendAt }
      });
    }
    return out;
  }
};
export {
  JobSource,
  dueItems,
  pendingItems,
  retryBlocker
};
//# sourceMappingURL=job-source.js.map
