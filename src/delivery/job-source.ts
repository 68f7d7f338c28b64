import type { Tip } from '../content/index.ts';
import { tipMessageId } from '../mailer/compose.ts';
import { nextTipTime, sendClockFor, type SendClock } from '../series/cadence.ts';
import { decide, waitReasonText } from '../series/next-tip.ts';
import { addressHash } from '../subscription/address.ts';
import { isSubscribed } from '../subscription/status.ts';
import type { DueCursor, DueSubscriber, LedgerEntry, PendingDelivery, SentSettle } from './delivery-store.ts';
import type { PassContext } from './pass-context.ts';
import type { PassTally } from './pass-tally.ts';
import { GIVE_UP_AFTER_MS } from './retry-policy.ts';

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
}

export interface PendingItem {
  delivery: PendingDelivery;
  suppressed: boolean;
}

export interface DueItem {
  subscriber: DueSubscriber;
  ledger: LedgerEntry[];
  suppressed: boolean;
}

/** A retry due at the 72-hour mark is still tried by a pass this late; later, it is stale. */
const OUTAGE_MARGIN_MS = 60 * 60_000;

/**
 * Why a pending retry is not sent now, if it is not. `final` ends the delivery (failed): the
 * reader left, restarted, is suppressed, or the 72 hours ran out during an outage. Otherwise the
 * row waits as it is: a paused reader or a tip briefly unpublished gets it when that is over.
 */
export function retryBlocker(ctx: PassContext, d: PendingDelivery, suppressed: boolean, at: number): { reason: string; final: boolean } | undefined {
  const { status } = d.subscriber;
  if (!isSubscribed(status)) return { reason: `not sent: the subscriber is ${status}`, final: true };
  if (status === 'paused') return { reason: 'waiting: the subscriber is paused', final: false };
  if (d.subscriber.cycle !== d.cycle) return { reason: 'not sent: the subscriber restarted the series', final: true };
  if (suppressed) return { reason: 'not sent: the address is suppressed', final: true };
  if (at > d.createdAt + GIVE_UP_AFTER_MS + OUTAGE_MARGIN_MS) return { reason: 'not sent: 72 hours passed while no pass ran', final: true };
  if (!ctx.bySlug.has(d.slug)) return { reason: `waiting: tip "${d.slug}" is not published now`, final: false };
  return undefined;
}

/** Deliveries due for another attempt (retries, and claims left by a crashed pass), by id. */
export async function* pendingItems(ctx: PassContext): AsyncGenerator<PendingItem> {
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
 * Due subscribers in (next_send_at, id) order, a keyset batch at a time, with their ledger and
 * suppression read once per batch rather than once per reader.
 */
export async function* dueItems(ctx: PassContext): AsyncGenerator<DueItem> {
  let cursor: DueCursor | undefined;
  for (;;) {
    const batch = await ctx.store.dueSubscribers(ctx.now, cursor, ctx.batchSize);
    if (batch.length === 0) return;
    const ledger = await ctx.store.ledger(batch.map((s) => s.id));
    const hashes = new Map(batch.map((s) => [s.id, addressHash(s.email)]));
    const suppressed = await ctx.store.suppressed([...hashes.values()]);
    for (const s of batch) yield { subscriber: s, ledger: ledger.get(s.id) ?? [], suppressed: suppressed.has(hashes.get(s.id)!) };
    if (batch.length < ctx.batchSize) return;
    const last = batch[batch.length - 1]!;
    cursor = { nextSendAt: last.nextSendAt, id: last.id };
  }
}

/**
 * The pass's work list: pending retries first, then each due subscriber's next tip, each claimed
 * in the ledger before it is handed out. Claims run one at a time (a promise chain), as they walk
 * shared cursors and the claim transaction must see the previous one's result.
 *
 * A slot hands in the settle of the message it just sent; it is committed in the transaction of
 * the slot's next claim (one commit per message), or on its own when no claim follows. So each
 * slot holds at most one row in 'sending', and a crash leaves at most the pool size of them.
 */
export class JobSource {
  private readonly retries: AsyncGenerator<PendingItem>;
  private readonly due: AsyncGenerator<DueItem>;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: PassContext,
    private readonly tally: Pick<PassTally, 'stopped' | 'skipped'>,
  ) {
    this.retries = pendingItems(ctx);
    this.due = dueItems(ctx);
  }

  /** The next claimed job, or undefined when there is none or the pass is stopping. */
  claimNext(settleFirst?: SentSettle): Promise<Job | undefined> {
    const claimed = this.turn.then(() => this.claim(settleFirst));
    this.turn = claimed.catch(() => undefined);
    return claimed;
  }

  private async claim(settleFirst: SentSettle | undefined): Promise<Job | undefined> {
    let carried = settleFirst;
    const take = () => {
      const s = carried;
      carried = undefined;
      return s;
    };
    try {
      while (!this.tally.stopped()) {
        const retry = await this.retries.next();
        if (!retry.done) {
          const job = await this.claimRetry(retry.value, take);
          if (job) return job;
          continue;
        }
        const due = await this.due.next();
        if (due.done) return undefined;
        const job = await this.claimDue(due.value, take);
        if (job) return job;
      }
      return undefined;
    } finally {
      const left = take();
      if (left) await this.ctx.store.settleSent(left);
    }
  }

  private async claimRetry({ delivery: d, suppressed }: PendingItem, take: () => SentSettle | undefined): Promise<Job | undefined> {
    const { store } = this.ctx;
    const at = this.ctx.clock();
    const blocker = retryBlocker(this.ctx, d, suppressed, at);
    if (blocker) {
      if (blocker.final) await store.settleFailed(d.id, at, blocker.reason, 'skipped');
      this.tally.skipped();
      return undefined;
    }
    // A retry claim is one conditional UPDATE, not a transaction a settle could ride in.
    const settle = take();
    if (settle) await store.settleSent(settle);
    if (!(await store.claimRetry(d, at))) {
      this.tally.skipped();
      return undefined;
    }
    return {
      deliveryId: d.id,
      attempts: d.attempts + 1,
      createdAt: d.createdAt,
      messageId: d.messageId,
      tip: this.ctx.bySlug.get(d.slug)!,
      subscriber: d.subscriber,
      clock: sendClockFor(d.subscriber, this.ctx.defaults),
    };
  }

  private async claimDue({ subscriber: s, ledger, suppressed }: DueItem, take: () => SentSettle | undefined): Promise<Job | undefined> {
    const { store, sender, cadenceDays } = this.ctx;
    const clock = sendClockFor(s, this.ctx.defaults);
    const decision = decide(s, ledger, suppressed, this.ctx.published, this.ctx.now, clock);
    if (decision.kind === 'wait') {
      await store.reschedule(s.id, s.nextSendAt, decision.until);
      this.tally.skipped(decision.reason === 'suppressed' ? { email: s.email, slug: '', outcome: 'suppressed', response: waitReasonText.suppressed } : undefined);
      return undefined;
    }
    const { tip } = decision;
    const at = this.ctx.clock();
    const messageId = tipMessageId(s.publicId, tip.slug, s.cycle, sender.from);
    // Moved now, so no other pass picks this reader for another tip meanwhile; the send, seconds
    // later, keeps it (the next local send time a week on does not change within a pass).
    const nextSendAt = nextTipTime(new Date(at), clock, cadenceDays).getTime();
    const claimed = await store.claimNew(
      { subscriberId: s.id, cycle: s.cycle, expectedNextSendAt: s.nextSendAt, nextSendAt, slug: tip.slug, week: tip.week, messageId, at },
      take(),
    );
    if (!claimed) {
      this.tally.skipped();
      return undefined;
    }
    return { deliveryId: claimed.id, attempts: claimed.attempts, createdAt: claimed.createdAt, messageId, tip, subscriber: s, clock, nextSendAt };
  }
}
