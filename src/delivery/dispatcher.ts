import { performance } from 'node:perf_hooks';
import { publishedTips, type Series, type Tip } from '../content/index.ts';
import type { CompiledEmail, FinishedEmail, Recipient } from '../render/index.ts';
import { nextTipTime, sendClockFor, type SendClock } from '../series/cadence.ts';
import { listLinks } from '../subscription/links.ts';
import { addressHash } from '../subscription/address.ts';
import { composeTipMessage, senderFor, tipMessageId, type Sender } from '../mailer/compose.ts';
import type { DeliveryStore, DueCursor, DueSubscriber, PendingDelivery, SentSettle } from './delivery-store.ts';
import { SendError, type Mailer } from '../mailer/mailer.ts';
import { decide, waitReasonText, type WaitReason } from '../series/next-tip.ts';
import { afterTemporaryFailure, GIVE_UP_AFTER_MS, STALE_CLAIM_MS } from './retry-policy.ts';

/** The part of the renderer a pass uses: compile once per tip (cached), fill per reader. */
export interface TipRenderer {
  compileTip(tip: Tip): Promise<CompiledEmail>;
  personalise(email: CompiledEmail, recipient: Recipient): FinishedEmail;
}

export interface PassSettings {
  /** NEWSLETTER_BASE_URL: signed links start with it. */
  baseUrl: string;
  /** The key that signs links. */
  secret: string;
  /** NEWSLETTER_FROM, overriding the series' sender. */
  from?: string;
  /** NEWSLETTER_TIMEZONE, for subscribers who gave none. */
  timezone: string;
}

export interface PassInput {
  store: DeliveryStore;
  renderer: TipRenderer;
  series: Pick<Series, 'name' | 'from' | 'sendTime' | 'cadenceDays'>;
  /** The tips as loaded; drafts are dropped here. */
  tips: readonly Tip[];
  /** Who is due is decided against this instant. */
  now: Date;
  settings: PassSettings;
  /**
   * Milliseconds since the epoch for claim and settle stamps. Defaults to `now` plus the real
   * time elapsed in the pass, so a long pass (or one run `--at` a simulated time) stamps its
   * claims as it goes and another process never mistakes a live claim for a crashed one.
   */
  clock?: () => number;
  /** Subscribers read per query. */
  batchSize?: number;
  onProgress?: (summary: Readonly<PassSummary>) => void;
  /** Stops the pass early (shutdown): sends in flight finish and settle, nothing new is claimed. */
  signal?: AbortSignal;
}

export interface DeliveryProblem {
  email: string;
  slug: string;
  outcome: 'failed' | 'bounced' | 'suppressed';
  response: string;
}

export interface PassSummary {
  /** Due when the pass started (subscribers plus retries), for progress. */
  due: number;
  sent: number;
  /** Temporary failures that a later pass tries again. */
  retried: number;
  /** Given up after 72 hours of temporary failures. */
  failed: number;
  /** Permanent failures: the subscriber is bounced and suppressed. */
  bounced: number;
  /** Due but nothing to send now: finished the series, too soon, suppressed, or another pass took them. */
  skipped: number;
  /** Why the pass stopped early (SMTP server down, database error), if it did. */
  aborted?: string;
  /** The first failures and bounces, for the operator. */
  problems: DeliveryProblem[];
  /** Real time the pass took. */
  elapsedMs: number;
}

const MAX_PROBLEMS_LISTED = 50;

interface Job {
  deliveryId: number;
  attempts: number;
  /** First attempt: the 72-hour retry window counts from here. */
  createdAt: number;
  messageId: string;
  tip: Tip;
  subscriber: { id: number; publicId: string; email: string; name: string | null };
  clock: SendClock;
  /** Set by a new claim: where next_send_at already moved. Retries work it out when sent. */
  nextSendAt?: number;
}

/** A sent delivery's settle, handed from its slot to the next claim (`taken` once it is). */
interface Carry {
  settle: SentSettle;
  taken: boolean;
}

/** Shared by the pass and the dry run: the settings every decision needs. */
interface Context {
  store: DeliveryStore;
  published: Tip[];
  bySlug: Map<string, Tip>;
  now: number;
  staleBefore: number;
  defaults: SendClock;
  batchSize: number;
  sender: Sender;
}

function context(input: Omit<PassInput, 'renderer'>): Context {
  const published = publishedTips(input.tips);
  const now = input.now.getTime();
  return {
    store: input.store,
    published,
    bySlug: new Map(published.map((t) => [t.slug, t])),
    now,
    staleBefore: now - STALE_CLAIM_MS,
    defaults: { zone: input.settings.timezone, time: input.series.sendTime },
    batchSize: input.batchSize ?? 500,
    sender: senderFor(input.series, input.settings.from),
  };
}

/** Why a pending delivery can no longer go out, or undefined if it can. */
/**
 * Why a pending retry is not sent now, if it is not. `final` ends the delivery (failed): the
 * reader left, restarted, is suppressed, or the 72 hours ran out during an outage. Otherwise the
 * row waits as it is: a paused reader or a tip briefly unpublished gets it when that is over.
 */
function retryBlocker(ctx: Context, d: PendingDelivery, suppressed: boolean, at: number): { reason: string; final: boolean } | undefined {
  if (d.subscriber.status === 'paused') return { reason: 'waiting: the subscriber is paused', final: false };
  if (d.subscriber.status !== 'active') return { reason: `not sent: the subscriber is ${d.subscriber.status}`, final: true };
  if (d.subscriber.cycle !== d.cycle) return { reason: 'not sent: the subscriber restarted the series', final: true };
  if (suppressed) return { reason: 'not sent: the address is suppressed', final: true };
  if (at > d.createdAt + GIVE_UP_AFTER_MS + OUTAGE_MARGIN_MS) return { reason: 'not sent: 72 hours passed while no pass ran', final: true };
  if (!ctx.bySlug.has(d.slug)) return { reason: `waiting: tip "${d.slug}" is not published now`, final: false };
  return undefined;
}

/** Refused recipients in a row that end a pass (see settleFailure). */
const MAX_BOUNCES_IN_A_ROW = 10;

/** A retry due at the 72-hour mark is still tried by a pass this late; later, it is stale. */
const OUTAGE_MARGIN_MS = 60 * 60_000;

/** Due subscribers in (next_send_at, id) order, a batch at a time, with their ledger and suppression. */
async function* dueWithLedger(ctx: Context) {
  let cursor: DueCursor | undefined;
  for (;;) {
    const batch = await ctx.store.dueSubscribers(ctx.now, cursor, ctx.batchSize);
    if (batch.length === 0) return;
    const ledger = await ctx.store.ledger(batch.map((s) => s.id));
    const hashes = new Map(batch.map((s) => [s.id, addressHash(s.email)]));
    const suppressed = await ctx.store.suppressed([...hashes.values()]);
    for (const s of batch) {
      yield { subscriber: s, ledger: ledger.get(s.id) ?? [], suppressed: suppressed.has(hashes.get(s.id)!) };
    }
    if (batch.length < ctx.batchSize) return;
    const last = batch[batch.length - 1]!;
    cursor = { nextSendAt: last.nextSendAt, id: last.id };
  }
}

/** Deliveries due for another attempt (retries, and claims left by a crashed pass). */
async function* pending(ctx: Context) {
  let afterId = 0;
  for (;;) {
    const batch = await ctx.store.pendingRetries(ctx.now, ctx.staleBefore, afterId, ctx.batchSize);
    if (batch.length === 0) return;
    const suppressed = await ctx.store.suppressed(batch.map((d) => addressHash(d.subscriber.email)));
    for (const d of batch) yield { delivery: d, suppressed: suppressed.has(addressHash(d.subscriber.email)) };
    if (batch.length < ctx.batchSize) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/**
 * One dispatch pass at `now`: first the deliveries waiting for a retry (or left 'sending' by a
 * crash, resent with the same Message-ID), then every due subscriber's next tip. Each delivery is
 * claimed in the ledger before the SMTP conversation and settled after it; `mailer.concurrency`
 * sends are kept in flight. One failing address never stops the pass; an unavailable SMTP server
 * does, leaving its deliveries to be retried.
 */
export async function runPass(input: PassInput & { mailer: Mailer }): Promise<PassSummary> {
  const ctx = context(input);
  const { store, mailer, renderer, settings } = input;
  const started = performance.now();
  const clock = input.clock ?? (() => ctx.now + Math.round(performance.now() - started));
  const summary: PassSummary = { due: 0, sent: 0, retried: 0, failed: 0, bounced: 0, skipped: 0, problems: [], elapsedMs: 0 };
  const progress = () => {
    summary.elapsedMs = performance.now() - started;
    input.onProgress?.(summary);
  };
  const problem = (p: DeliveryProblem) => {
    if (summary.problems.length < MAX_PROBLEMS_LISTED) summary.problems.push(p);
  };
  const abort = (reason: string) => {
    summary.aborted ??= reason;
  };
  const stopped = () => {
    if (input.signal?.aborted) abort('stopped on request (shutdown); the next pass goes on');
    return summary.aborted !== undefined;
  };
  // One drop is a hiccup (a pool's connections may all go at once); more in a row than the pool
  // could explain means the server is in trouble.
  const maxConnectionFailures = Math.max(3, 2 * mailer.concurrency);
  let connectionFailures = 0;
  let bouncesInARow = 0;

  summary.due = await store.countDue(ctx.now, ctx.staleBefore);
  progress();

  const skip = () => {
    summary.skipped++;
    progress();
  };

  // A delivery just sent is settled in the same transaction as its slot's next claim, so a
  // message costs one commit, not two. Each slot holds at most one such settle, so the rows left
  // 'sending' by a crash are still at most one per slot: the pool size.
  async function* jobs(): AsyncGenerator<Job, void, Carry | undefined> {
    let carry: SentSettle | undefined;
    const receive = (c: Carry | undefined) => {
      if (c) {
        c.taken = true;
        carry = c.settle;
      }
    };
    const flush = async () => {
      if (!carry) return;
      const settle = carry;
      carry = undefined;
      await store.settleSent(settle);
    };
    try {
      for await (const { delivery: d, suppressed } of pending(ctx)) {
        if (stopped()) return;
        const at = clock();
        const blocker = retryBlocker(ctx, d, suppressed, at);
        if (blocker) {
          if (blocker.final) await store.settleFailed(d.id, at, blocker.reason, 'skipped');
          skip();
          continue;
        }
        await flush();
        if (!(await store.claimRetry(d, at))) {
          skip();
          continue;
        }
        receive(
          yield {
            deliveryId: d.id,
            attempts: d.attempts + 1,
            createdAt: d.createdAt,
            messageId: d.messageId,
            tip: ctx.bySlug.get(d.slug)!,
            subscriber: d.subscriber,
            clock: sendClockFor(d.subscriber, ctx.defaults),
          },
        );
      }
      for await (const { subscriber: s, ledger, suppressed } of dueWithLedger(ctx)) {
        if (stopped()) return;
        const sendClock = sendClockFor(s, ctx.defaults);
        const decision = decide(s, ledger, suppressed, ctx.published, ctx.now, sendClock);
        if (decision.kind === 'wait') {
          if (decision.reason === 'suppressed') problem({ email: s.email, slug: '', outcome: 'suppressed', response: waitReasonText.suppressed });
          await store.reschedule(s.id, s.nextSendAt, decision.until);
          skip();
          continue;
        }
        const settleFirst = carry;
        carry = undefined;
        const job = await claim(s, decision.tip, sendClock, settleFirst);
        if (job) receive(yield job);
        else skip();
      }
    } finally {
      await flush();
    }
  }

  async function claim(s: DueSubscriber, tip: Tip, sendClock: SendClock, settleFirst: SentSettle | undefined): Promise<Job | undefined> {
    const at = clock();
    const messageId = tipMessageId(s.publicId, tip.slug, s.cycle, ctx.sender.from);
    // Moved now, so no other pass picks this reader for another tip meanwhile; the send, seconds
    // later, keeps it (the next local send time a week on does not change within a pass).
    const nextSendAt = nextTipTime(new Date(at), sendClock, input.series.cadenceDays).getTime();
    const claimed = await store.claimNew(
      { subscriberId: s.id, cycle: s.cycle, expectedNextSendAt: s.nextSendAt, nextSendAt, slug: tip.slug, week: tip.week, messageId, at },
      settleFirst,
    );
    if (!claimed) return undefined;
    return { deliveryId: claimed.id, attempts: claimed.attempts, createdAt: claimed.createdAt, messageId, tip, subscriber: s, clock: sendClock, nextSendAt };
  }

  /** Sends one job; a success comes back as a settle for the slot to carry into its next claim. */
  async function deliver(job: Job): Promise<Carry | undefined> {
    let response: string;
    try {
      const compiled = await renderer.compileTip(job.tip);
      const links = listLinks(settings.baseUrl, settings.secret, job.subscriber.publicId, new Date(clock()));
      const finished = renderer.personalise(compiled, { name: job.subscriber.name, ...links });
      const message = composeTipMessage(finished, job.subscriber, ctx.sender, { messageId: job.messageId, unsubscribeUrl: links.unsubscribeUrl, slug: job.tip.slug });
      response = (await mailer.send(message)).response;
    } catch (e) {
      // Anything but an SMTP answer (a template that fails to render, an outbox folder that cannot
      // be written) fails every reader alike: stop the pass instead of moving everyone on.
      await settleFailure(job, e instanceof SendError ? e : new SendError('unavailable', `not sent: ${e instanceof Error ? e.message : String(e)}`));
      return undefined;
    }
    connectionFailures = 0;
    bouncesInARow = 0;
    const at = clock();
    summary.sent++;
    progress();
    return {
      taken: false,
      settle: {
        deliveryId: job.deliveryId,
        subscriberId: job.subscriber.id,
        at,
        response,
        nextSendAt: job.nextSendAt ?? nextTipTime(new Date(at), job.clock, input.series.cadenceDays).getTime(),
      },
    };
  }

  async function settleFailure(job: Job, error: SendError): Promise<void> {
    const at = clock();
    if (error.kind === 'permanent') {
      await store.settleBounced({ deliveryId: job.deliveryId, subscriberId: job.subscriber.id, emailHash: addressHash(job.subscriber.email), at, response: error.response });
      summary.bounced++;
      problem({ email: job.subscriber.email, slug: job.tip.slug, outcome: 'bounced', response: error.response });
      connectionFailures = 0;
      bouncesInARow++;
      // Real lists do not hold this many dead addresses in a row: the server is refusing everyone.
      if (bouncesInARow >= MAX_BOUNCES_IN_A_ROW) abort(`${bouncesInARow} recipients in a row were refused (${mailer.describe()}); last: ${error.response}. Check the server and NEWSLETTER_FROM before the next pass`);
      progress();
      return;
    }
    bouncesInARow = 0;
    const next = afterTemporaryFailure(job.createdAt, job.attempts, at);
    if (next.state === 'failed') {
      await store.settleFailed(job.deliveryId, at, error.response, 'temporary');
      summary.failed++;
      problem({ email: job.subscriber.email, slug: job.tip.slug, outcome: 'failed', response: `gave up after 72 hours: ${error.response}` });
    } else {
      await store.settleRetry(job.deliveryId, at, error.response, next.nextAttemptAt);
      summary.retried++;
    }
    if (error.kind === 'unavailable') abort(`sending is unavailable (${mailer.describe()}): ${error.response}`);
    connectionFailures = error.connection ? connectionFailures + 1 : 0;
    if (connectionFailures >= maxConnectionFailures) abort(`the SMTP server dropped ${connectionFailures} connections in a row (${mailer.describe()}); last: ${error.response}`);
    progress();
  }

  const queue = jobs();
  const worker = async () => {
    let carry: Carry | undefined;
    try {
      for (;;) {
        const next = await queue.next(carry);
        if (next.done) {
          // The jobs had run out before this slot's settle could ride on a claim.
          if (carry && !carry.taken) await store.settleSent(carry.settle);
          return;
        }
        carry = await deliver(next.value);
      }
    } catch (e) {
      // A database failure: whatever was claimed and not settled is retried after the grace period.
      abort(`database error: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, mailer.concurrency) }, worker));
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/** One line of a dry run: who would get what. */
export interface PlannedDelivery {
  email: string;
  /** 'send': the next tip; 'retry'/'resend': a retry or a crashed claim; 'skip': nothing now. */
  action: 'send' | 'retry' | 'resend' | 'skip';
  slug?: string;
  week?: number;
  reason?: string;
}

/** What a pass at `now` would do, without sending or changing anything. */
export async function* planPass(input: Omit<PassInput, 'renderer' | 'onProgress' | 'clock'>): AsyncGenerator<PlannedDelivery> {
  const ctx = context(input);
  for await (const { delivery: d, suppressed } of pending(ctx)) {
    const blocker = retryBlocker(ctx, d, suppressed, ctx.now);
    yield blocker
      ? { email: d.subscriber.email, action: 'skip', slug: d.slug, week: d.week, reason: blocker.reason }
      : { email: d.subscriber.email, action: d.state === 'retry' ? 'retry' : 'resend', slug: d.slug, week: d.week };
  }
  for await (const { subscriber: s, ledger, suppressed } of dueWithLedger(ctx)) {
    const decision = decide(s, ledger, suppressed, ctx.published, ctx.now, sendClockFor(s, ctx.defaults));
    yield decision.kind === 'send'
      ? { email: s.email, action: 'send', slug: decision.tip.slug, week: decision.tip.week }
      : { email: s.email, action: 'skip', reason: waitReasonText[decision.reason as WaitReason] };
  }
}
