import type { Tip, TipHold } from '../content/index.ts';
import { tipMessageId } from '../mailer/compose.ts';
import { nextTipTime, sendClockFor, type SendClock } from '../series/cadence.ts';
import { decide, waitReasonText } from '../series/next-tip.ts';
import { addressHash } from '../subscription/address.ts';
import { isSubscribed } from '../subscription/status.ts';
import type {
  ClaimOutcome,
  ClaimsMade,
  DueCursor,
  DueSubscriber,
  LedgerEntry,
  NewClaim,
  PendingDelivery,
  SentSettle,
} from './delivery-store.ts';
import type { PassContext } from './pass-context.ts';
import type { PassTally } from './pass-tally.ts';
import { GIVE_UP_AFTER_MS } from './retry-policy.ts';
import { domainOf } from './sites.ts';
import { PassWarmup } from './warmup.ts';

/** One delivery claimed in the ledger ('sending'), ready to render and send. */
export interface Job {
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
  /** The recipient's provider site (their domain when shaping is off). */
  site: string;
}

export interface PendingItem {
  delivery: PendingDelivery;
  suppressed: boolean;
  site: string;
}

export interface DueItem {
  subscriber: DueSubscriber;
  ledger: LedgerEntry[];
  suppressed: boolean;
  site: string;
}

/** Each address's site: looked up a batch at a time (its domains at once) when shaping is on. */
async function sitesFor(ctx: PassContext, emails: readonly string[]): Promise<(email: string) => string> {
  if (!ctx.shaper) return domainOf;
  const sites = await ctx.shaper.sitesOf(emails.map(domainOf));
  return (email) => sites.get(domainOf(email)) ?? domainOf(email);
}

/** A retry due at the 72-hour mark is still tried by a pass this late; later, it is stale. */
const OUTAGE_MARGIN_MS = 60 * 60_000;

/**
 * Why a pending retry is not sent now, if it is not. `final` ends the delivery (failed): the
 * reader left, restarted, is suppressed, or the 72 hours ran out during an outage. Otherwise the
 * row waits as it is: a paused reader or a tip briefly unpublished gets it when that is over.
 */
export function retryBlocker(
  ctx: PassContext,
  d: PendingDelivery,
  suppressed: boolean,
  at: number,
): { reason: string; final: boolean } | undefined {
  const { status } = d.subscriber;
  if (!isSubscribed(status)) return { reason: `not sent: the subscriber is ${status}`, final: true };
  if (status === 'paused') return { reason: 'waiting: the subscriber is paused', final: false };
  if (d.subscriber.cycle !== d.cycle) return { reason: 'not sent: the subscriber restarted the series', final: true };
  if (suppressed) return { reason: 'not sent: the address is suppressed', final: true };
  // Only a delivery tried on the reader has a 72-hour window; one the relay handed back has none yet.
  if (d.attempts > 0 && at > d.createdAt + GIVE_UP_AFTER_MS + OUTAGE_MARGIN_MS)
    return { reason: 'not sent: 72 hours passed while no pass ran', final: true };
  if (!ctx.bySlug.has(d.slug)) return { reason: `waiting: tip "${d.slug}" is not published now`, final: false };
  const hold = ctx.holds.get(d.slug);
  if (hold) return { reason: holdText(hold), final: false };
  return undefined;
}

/** Why a reader due a held tip waits, and what releases it (the pass summary, `send --dry-run`). */
export function holdText(hold: TipHold): string {
  return `waiting: week ${hold.week} (${hold.slug}) is ${hold.kind === 'blocked' ? 'blocked' : 'held'}: ${hold.why}; release: ${hold.release}`;
}

/** Deliveries due for another attempt (retries, and claims left by a crashed pass), by id. */
export async function* pendingItems(ctx: PassContext): AsyncGenerator<PendingItem> {
  let afterId = 0;
  for (;;) {
    const batch = await ctx.store.pendingRetries(ctx.now, ctx.staleBefore, afterId, ctx.batchSize);
    if (batch.length === 0) return;
    const suppressed = await ctx.store.suppressed(batch.map((d) => addressHash(d.subscriber.email)));
    const siteOf = await sitesFor(
      ctx,
      batch.map((d) => d.subscriber.email),
    );
    for (const d of batch)
      yield {
        delivery: d,
        suppressed: suppressed.has(addressHash(d.subscriber.email)),
        site: siteOf(d.subscriber.email),
      };
    if (batch.length < ctx.batchSize) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/**
 * Due subscribers in (next_send_at, id) order, a keyset batch at a time, with their ledger and
 * suppression read once per batch rather than once per reader. With `startAt`, the walk begins
 * part-way and then sweeps again from the start: every reader handled (by this pass or another)
 * has left the due range by then, so the second sweep meets only those nobody has reached.
 */
export async function* dueItems(ctx: PassContext): AsyncGenerator<DueItem> {
  const from = ctx.startAt === undefined ? undefined : await ctx.store.dueCursorAt(ctx.now, ctx.startAt);
  yield* dueSweep(ctx, from);
  if (from) yield* dueSweep(ctx, undefined);
}

async function* dueSweep(ctx: PassContext, from: DueCursor | undefined): AsyncGenerator<DueItem> {
  let cursor = from;
  for (;;) {
    const batch = await ctx.store.dueSubscribers(ctx.now, cursor, ctx.batchSize);
    if (batch.length === 0) return;
    const ledger = await ctx.store.ledger(batch.map((s) => s.id));
    const hashes = new Map(batch.map((s) => [s.id, addressHash(s.email)]));
    const suppressed = await ctx.store.suppressed([...hashes.values()]);
    const siteOf = await sitesFor(
      ctx,
      batch.map((s) => s.email),
    );
    for (const s of batch)
      yield {
        subscriber: s,
        ledger: ledger.get(s.id) ?? [],
        suppressed: suppressed.has(hashes.get(s.id)!),
        site: siteOf(s.email),
      };
    if (batch.length < ctx.batchSize) return;
    const last = batch[batch.length - 1]!;
    cursor = { nextSendAt: last.nextSendAt, id: last.id };
  }
}

/** A slot waiting for its next job, with the settle of the message it just sent. */
interface Waiter {
  settle: SentSettle | undefined;
  resolve(job: Job | undefined): void;
  reject(e: unknown): void;
}

/** A due reader decided 'send', waiting to be claimed with the rest of its group. */
interface Candidate {
  claim: NewClaim;
  job: Omit<Job, 'deliveryId' | 'attempts' | 'createdAt'>;
}

/**
 * The pass's work list: pending retries first, then each due subscriber's next tip, each claimed
 * in the ledger before it is handed out. Claims run one group at a time, as they walk shared
 * cursors and a claim must see the previous one's result.
 *
 * Group commit: the slots that ask while a claim transaction is running wait together, and the
 * next transaction settles all their sent messages and claims one job for each of them, so one
 * disk sync serves several messages when the database is the bottleneck, and one when it is not.
 * A slot never holds more than its one job: each row in 'sending' is a message in flight or just
 * sent and about to be settled, so a crash still leaves at most the pool size of them.
 */
export class JobSource {
  private readonly retries: AsyncGenerator<PendingItem>;
  private readonly due: AsyncGenerator<DueItem>;
  private waiting: Waiter[] = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly ctx: PassContext,
    private readonly tally: Pick<PassTally, 'stopped' | 'skipped' | 'sent' | 'held'>,
  ) {
    this.retries = pendingItems(ctx);
    this.due = dueItems(ctx);
    this.warmup = ctx.warmup ? new PassWarmup(ctx.warmup, ctx.now) : undefined;
  }

  /** Today's share of the warm-up cap, when a warm-up is set. */
  readonly warmup: PassWarmup | undefined;

  /** The next claimed job, or undefined when there is none or the pass is stopping. */
  claimNext(settle?: SentSettle): Promise<Job | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ settle, resolve, reject });
      if (this.running || this.scheduled) return;
      // Drained on the next turn of the event loop, not now: the SMTP answers that arrived
      // together (while the last transaction held the thread) all queue first and share one
      // transaction. Draining at once would always find a group of one.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          const jobs = await this.claimGroup(
            group.length,
            group.flatMap((w) => (w.settle ? [w.settle] : [])),
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
  private async claimGroup(wanted: number, settles: SentSettle[]): Promise<Job[]> {
    const jobs: Job[] = [];
    let unsettled = settles;
    const takeSettles = () => {
      const s = unsettled;
      unsettled = [];
      return s;
    };
    // Sent as the database has it: a settle whose reader erased their data meanwhile found no
    // row, and is counted as skipped (the summary equals the ledger).
    const count = (taken: number, settled: number) => {
      for (let i = 0; i < settled; i++) this.tally.sent();
      for (let i = settled; i < taken; i++) this.tally.skipped();
    };
    // A refused group still saved its settles: they count, then its error ends the group.
    const counted = async (
      taken: SentSettle[],
      write: (s: SentSettle[]) => Promise<ClaimOutcome>,
    ): Promise<ClaimsMade> => {
      const r = await write(taken);
      count(taken.length, r.settled);
      if ('failed' in r) throw r.failed;
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
        const { claimed } = await counted(takeSettles(), (settled) =>
          this.ctx.store.claimMany(
            candidates.map((c) => c.claim),
            settled,
          ),
        );
        candidates.forEach((c, i) => {
          const d = claimed[i];
          if (d) jobs.push({ ...c.job, deliveryId: d.id, attempts: d.attempts, createdAt: d.createdAt });
          else {
            this.warmup?.giveBack();
            this.tally.skipped();
          }
        });
      }
      return jobs;
    } finally {
      const left = takeSettles();
      if (left.length > 0) await counted(left, (settled) => this.ctx.store.claimMany([], settled));
    }
  }

  private async claimRetry(
    { delivery: d, suppressed, site }: PendingItem,
    takeSettles: () => SentSettle[],
    counted: (taken: SentSettle[], write: (s: SentSettle[]) => Promise<ClaimOutcome>) => Promise<ClaimsMade>,
  ): Promise<Job | undefined> {
    const { store } = this.ctx;
    const at = this.ctx.clock();
    const blocker = retryBlocker(this.ctx, d, suppressed, at);
    if (blocker) {
      if (blocker.final) await store.settleFailed(d.id, at, blocker.reason, 'skipped');
      const hold = this.ctx.holds.get(d.slug);
      if (!blocker.final && hold) this.tally.held(hold, d.subscriber.id);
      else this.tally.skipped();
      return undefined;
    }
    // A suspended site's retry stays as it is, due, for the pass after the suspension.
    await this.ctx.shaper?.refresh();
    if (this.ctx.shaper?.suspension(site)) {
      this.ctx.shaper.waiting(site);
      return undefined;
    }
    // A retry claim is one conditional UPDATE, not a transaction the settles could ride in.
    const settles = takeSettles();
    if (settles.length > 0) await counted(settles, (settled) => store.claimMany([], settled));
    if (!(await store.claimRetry(d, at))) {
      this.tally.skipped();
      return undefined;
    }
    return {
      deliveryId: d.id,
      attempts: d.attempts + 1,
      // Its first real attempt is this one when the relay handed back every earlier claim.
      createdAt: d.attempts === 0 ? at : d.createdAt,
      messageId: d.messageId,
      tip: this.ctx.bySlug.get(d.slug)!,
      subscriber: d.subscriber,
      clock: sendClockFor(d.subscriber, this.ctx.defaults),
      site,
    };
  }

  /** The next `n` due readers who get a tip now; those who wait are rescheduled on the way. */
  private async nextCandidates(n: number): Promise<Candidate[]> {
    const { store, sender, cadenceDays } = this.ctx;
    const out: Candidate[] = [];
    const { shaper } = this.ctx;
    await shaper?.refresh();
    while (out.length < n && !this.tally.stopped()) {
      // Today's warm-up cap is used: everyone still due waits, in order, for tomorrow.
      if (this.warmup?.exhausted()) break;
      const next = await this.due.next();
      if (next.done) break;
      const { subscriber: s, ledger, suppressed, site } = next.value;
      const clock = sendClockFor(s, this.ctx.defaults);
      const decision = decide(s, ledger, suppressed, this.ctx.published, this.ctx.now, clock);
      if (decision.kind === 'wait') {
        await store.reschedule(s.id, s.nextSendAt, decision.until);
        this.tally.skipped(
          decision.reason === 'suppressed'
            ? { email: s.email, slug: '', outcome: 'suppressed', response: waitReasonText.suppressed }
            : undefined,
        );
        continue;
      }
      // A suspended site's reader is not claimed: still due, with their place, for a later pass.
      if (shaper?.suspension(site)) {
        shaper.waiting(site);
        continue;
      }
      if (this.warmup && !(await this.warmup.take())) {
        this.warmup.held++;
        break;
      }
      const { tip } = decision;
      const hold = this.ctx.holds.get(tip.slug);
      if (hold) {
        // Waits in place, still due: the first pass after the tip is released sends it to them.
        this.tally.held(hold, s.id);
        continue;
      }
      const at = this.ctx.clock();
      const messageId = tipMessageId(s.publicId, tip.slug, s.cycle, sender.from);
      // Moved now, so no other pass picks this reader for another tip meanwhile; the send, seconds
      // later, keeps it (the next local send time a week on does not change within a pass).
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
          at,
        },
        job: { messageId, tip, subscriber: s, clock, nextSendAt, site },
      });
    }
    return out;
  }
}
