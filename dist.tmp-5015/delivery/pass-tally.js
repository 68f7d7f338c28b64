// ../../work/wt/h-studio/src/delivery/pass-tally.ts
import { performance } from "node:perf_hooks";
var STOPPED_ON_REQUEST = "stopped on request (shutdown); the next pass goes on";
var MAX_PROBLEMS_LISTED = 50;
var PassTally = class {
  constructor(onProgress, signal) {
    this.onProgress = onProgress;
    this.signal = signal;
  }
  onProgress;
  signal;
  summary = {
    due: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    bounced: 0,
    skipped: 0,
    handedBack: 0,
    problems: [],
    elapsedMs: 0
  };
  started = performance.now();
  due(count) {
    this.summary.due = count;
    this.changed();
  }
  sent() {
    this.summary.sent++;
    this.changed();
  }
  retried() {
    this.summary.retried++;
    this.changed();
  }
  /** A delivery the relay's failure sends back as it was, no retry used: it is retried later too. */
  handedBack() {
    this.summary.handedBack = (this.summary.handedBack ?? 0) + 1;
    this.summary.retried++;
    this.changed();
  }
  /**
   * A delivery handed back is charged to its reader after all (see the dispatcher's
   * chargeAnswers): it is a retry as before, or, with `problem`, failed after 72 hours.
   */
  charged(problem) {
    this.summary.handedBack = Math.max(0, (this.summary.handedBack ?? 0) - 1);
    if (problem) {
      this.summary.retried--;
      this.failed(problem);
    } else this.changed();
  }
  /** The relay could not be reached or kept (see PassSummary.connectionFailure); the last one is kept. */
  connectionFailed(at, what) {
    this.summary.connectionFailure = { at, what };
  }
  failed(problem) {
    this.summary.failed++;
    this.note(problem);
    this.changed();
  }
  bounced(problem) {
    this.summary.bounced++;
    this.note(problem);
    this.changed();
  }
  /** Due but not sent now; a suppressed address is also worth telling the operator. */
  skipped(problem) {
    this.summary.skipped++;
    if (problem) this.note(problem);
    this.changed();
  }
  /** `count` held refusals go back to retry instead of bouncing, for `why`. */
  released(count, why) {
    this.summary.retried += count;
    this.summary.refusalsReleased = `${count} refused recipient${count === 1 ? " was" : "s were"} not bounced: ${why}; they are retried`;
    this.changed();
  }
  /** What the pass's end needs to judge its held refusals. */
  outcome() {
    return { sent: this.summary.sent, aborted: this.summary.aborted };
  }
  /**
   * The first reason wins (later ones are usually its consequences), except that a failure
   * outranks a stop that was asked for: the operator must hear of it.
   */
  abort(reason, cause = "database") {
    if (this.summary.stoppedOnRequest) delete this.summary.stoppedOnRequest;
    else if (this.summary.aborted !== void 0) return;
    this.summary.aborted = reason;
    this.summary.stopCause = cause;
  }
  /** True once nothing new may be claimed: a guard tripped, or shutdown was asked for. */
  stopped() {
    if (this.signal?.aborted && this.summary.aborted === void 0) {
      this.summary.aborted = STOPPED_ON_REQUEST;
      this.summary.stoppedOnRequest = true;
      this.summary.stopCause = "shutdown";
    }
    return this.summary.aborted !== void 0;
  }
  finish() {
    this.summary.elapsedMs = performance.now() - this.started;
    return this.summary;
  }
  note(problem) {
    if (this.summary.problems.length < MAX_PROBLEMS_LISTED) this.summary.problems.push(problem);
  }
  changed() {
    this.summary.elapsedMs = performance.now() - this.started;
    this.onProgress?.(this.summary);
  }
};
export {
  PassTally
};
//# sourceMappingURL=pass-tally.js.map
