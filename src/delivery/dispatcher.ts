import { cfblFeedbackIdFor } from '../bounces/cfbl.ts';
import { returnPathFor } from '../bounces/verp.ts';
import { textFingerprint, tipText } from '../content/fingerprint.ts';
import { composeTipMessage } from '../mailer/compose.ts';
import { SendError, type Mailer, type OutgoingMessage } from '../mailer/mailer.ts';
import { nextTipTime, sendClockFor } from '../series/cadence.ts';
import { decide, waitReasonText, type WaitReason } from '../series/next-tip.ts';
import { withoutAddresses } from '../redact.ts';
import { connectionLossText, isConnectionLost } from '../store/connection-errors.ts';
import { isUnwritable } from '../store/write-probe.ts';
import { addressHash } from '../subscription/address.ts';
import { listLinks } from '../subscription/links.ts';
import type { SentSettle } from './delivery-store.ts';
import { dueItems, holdText, JobSource, pendingItems, retryBlocker, type Job } from './job-source.ts';
import { passContext, type PassContext, type PassInput } from './pass-context.ts';
import { PassTally, type PassSummary } from './pass-tally.ts';
import { PassRefusals } from './site-refusals.ts';
import { RefusalHold } from './refusal-hold.ts';
import { afterTemporaryFailure, RETRY_DELAYS_MS } from './retry-policy.ts';
import { ClaimLease } from './claim-lease.ts';
import { SendGuards } from './send-guards.ts';
import { rateSignal } from './deferral-reflex.ts';

export type { PassInput, PassSettings, TipRenderer } from './pass-context.ts';
export type { DeliveryProblem, HeldTip, PassSummary } from './pass-tally.ts';
export { heldLines } from './pass-tally.ts';

/**
 * One dispatch pass at `now`: first the deliveries waiting for a retry (or left 'sending' by a
 * crash, resent with the same Message-ID), then every due subscriber's next tip. Each delivery is
 * claimed in the ledger before the SMTP conversation and settled after it; `mailer.concurrency`
 * slots send at once. One failing address never stops the pass; a failure that concerns everyone
 * (see SendGuards) does, leaving its deliveries to be retried. Recipient refusals are held to the
 * pass's end, which bounces them only if the server was taking mail for others (see RefusalHold).
 */
export async function runPass(input: PassInput & { mailer: Mailer }): Promise<PassSummary> {
  const ctx = passContext(input);
  const tally = new PassTally(input.onProgress, input.signal);
  tally.due(await ctx.store.countDue(ctx.now, ctx.staleBefore));
  const lease = new ClaimLease(ctx.store, ctx.clock, input.renewClaimsEveryMs);
  try {
    const pass = new Pass(ctx, input, tally, lease);
    await Promise.all(Array.from({ length: Math.max(1, input.mailer.concurrency) }, () => pass.slot()));
    await pass.settleHeld();
    await pass.endShaping();
  } finally {
    await lease.stop();
  }
  const summary = tally.finish();
  await noteRelayState(ctx, summary);
  return summary;
}

/**
 * What every process's `stats` and `/metrics` show of the relay: this pass's last connection
 * failure and why it stopped, if it did (no addresses: the texts were cleaned of them). A
 * database that cannot take it (the very reason the pass stopped, perhaps) loses only this note.
 */
async function noteRelayState(ctx: PassContext, summary: PassSummary): Promise<void> {
  const { connectionFailure: failure, stopCause, aborted } = summary;
  if (!failure && !stopCause) return;
  try {
    await ctx.store.noteRelayState({
      ...(failure ? { connectionFailure: failure } : {}),
      ...(stopCause && aborted
        ? { stopped: { cause: stopCause, at: ctx.clock(), why: withoutAddresses(aborted) } }
        : {}),
    });
  } catch {
    // The summary says why the pass stopped; the note waits for a pass the database can record.
  }
}

/** How a pass's summary begins when the database connection was lost: a failover, a restart, a cut network. */
const DATABASE_LOST = 'lost the connection to the database';

/** Why the pass stopped, in words an operator acts on: a full disk is named as such. */
function databaseProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') {
    return 'disk full: the database cannot record sends, so the pass stopped; free space on the disk that holds the database (the messages in flight when it stopped may go out once more)';
  }
  if (isUnwritable(e))
    return `the database cannot be written (${typeof code === 'string' ? code : message}), so the pass stopped; make it writable (the messages in flight when it stopped may go out once more)`;
  if (isConnectionLost(e))
    return `${DATABASE_LOST} (${connectionLossText(e)}), so the pass stopped; the next pass goes on once it is back (the messages in flight when it stopped may go out once more)`;
  return `database error: ${message}`;
}

/** The sending side of a pass: slots that take jobs from one JobSource and settle what they send. */
class Pass {
  private readonly jobs: JobSource;
  private readonly guards: SendGuards;
  private readonly refusals = new RefusalHold();
  /** Which sites refused for the sender's reasons in this pass (see refusedBySite). */
  private readonly siteRefusals = new PassRefusals();
  /** The relay's 4.x.x answers about single recipients (see settleFailure), judged at the pass's end. */
  private readonly answers: { job: Job; at: number; response: string }[] = [];

  constructor(
    private readonly ctx: PassContext,
    private readonly deps: Pick<PassInput, 'renderer' | 'settings'> & { mailer: Mailer },
    private readonly tally: PassTally,
    private readonly lease: ClaimLease,
  ) {
    this.jobs = new JobSource(ctx, tally);
    this.guards = new SendGuards(deps.mailer);
  }

  /**
   * The pass's end for shaping: its per-site counts go to the database, the unused part of its
   * warm-up share goes back, and the summary says which sites waited, why and until when.
   */
  async endShaping(): Promise<void> {
    const { shaper } = this.ctx;
    if (shaper) {
      await shaper.flush();
      this.tally.sites(Object.fromEntries(shaper.figures));
    }
    const warmup = this.jobs.warmup;
    const day = await warmup?.end().catch(() => undefined);
    if (warmup && day) this.tally.warmup({ ...day, held: warmup.held > 0 });
  }

  /**
   * One send slot: claim, send, and hand the settle to the next claim, until the jobs run out. The
   * claim is renewed (the lease) until its settle has committed with that next claim.
   */
  async slot(): Promise<void> {
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
      // A database failure: whatever was claimed and not settled is retried after the grace period.
      this.tally.abort(databaseProblem(e), 'database');
    }
  }

  /** The pass's end: its held refusals become bounces, or go back to retry (see RefusalHold). */
  async settleHeld(): Promise<void> {
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
          this.tally.bounced({ email, slug, outcome: 'bounced', response: settle.response });
        // Another sender retried it meanwhile: its pass decides.
        else this.tally.skipped();
      }
    } catch (e) {
      // The rows not reached stay 'retry': asked again later, never lost.
      this.tally.abort(databaseProblem(e), 'database');
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
  private async chargeAnswers(): Promise<void> {
    const { sent, aborted } = this.tally.outcome();
    const answers = this.answers.splice(0).filter(({ job }) => sent > 0 || job.attempts > 1);
    if (answers.length === 0 || aborted) return;
    try {
      for (const { job, at, response } of answers) {
        const next = afterTemporaryFailure(job.createdAt, job.attempts, at);
        // Another sender may have taken the row since it was handed back: then it is theirs.
        const charged = await this.ctx.store.chargeHandedBack({
          deliveryId: job.deliveryId,
          attempts: job.attempts - 1,
          at,
          response,
          nextAttemptAt: next.state === 'retry' ? next.nextAttemptAt : null,
        });
        if (charged)
          this.tally.charged(
            next.state === 'failed'
              ? {
                  email: job.subscriber.email,
                  slug: job.tip.slug,
                  outcome: 'failed',
                  response: `gave up after 72 hours: ${response}`,
                }
              : undefined,
          );
      }
    } catch (e) {
      // The rows not reached stay handed back: asked again later, never lost.
      this.tally.abort(databaseProblem(e), 'database');
    }
  }

  /** Sends one job; a success comes back as its settle, for the slot's next claim to commit. */
  private async deliver(job: Job): Promise<SentSettle | undefined> {
    const { shaper } = this.ctx;
    // The site's share of connections and a token from its bucket; a site suspended meanwhile
    // gets the message back untouched (not the reader's failure: no attempt counted).
    const release = shaper ? await shaper.acquire(job.site, () => this.tally.stopped()) : () => undefined;
    if (!release) {
      const at = this.ctx.clock();
      if (await this.ctx.store.settleHandedBack(job.deliveryId, at, `waiting: site ${job.site} is suspended`))
        this.tally.handedBack();
      else this.tally.skipped();
      shaper?.waiting(job.site);
      return undefined;
    }
    let response: string;
    try {
      response = (await this.deps.mailer.send(await this.compose(job))).response;
    } catch (e) {
      release();
      // Anything but an SMTP answer (a template that fails to render, an outbox folder that cannot
      // be written) fails every reader alike: stop the pass instead of moving everyone on.
      await this.settleFailure(
        job,
        e instanceof SendError
          ? e
          : new SendError('unavailable', `not sent: ${e instanceof Error ? e.message : String(e)}`),
      );
      return undefined;
    }
    release();
    shaper?.sent(job.site);
    this.guards.sent();
    // Counted as sent once its settle commits (JobSource), not here.
    const at = this.ctx.clock();
    const nextSendAt = job.nextSendAt ?? nextTipTime(new Date(at), job.clock, this.ctx.cadenceDays).getTime();
    // What the reader got, for the corrections: the text this pass rendered, not the one claimed.
    const fingerprint = textFingerprint(tipText(job.tip));
    return { deliveryId: job.deliveryId, subscriberId: job.subscriber.id, at, response, nextSendAt, fingerprint };
  }

  private async compose(job: Job): Promise<OutgoingMessage> {
    const { renderer, settings } = this.deps;
    const compiled = await renderer.compileTip(job.tip);
    const links = listLinks(
      settings.baseUrl,
      settings.secret,
      job.subscriber.publicId,
      new Date(this.ctx.clock()),
      job.tip.slug,
    );
    const finished = renderer.personaliseParts(compiled, { name: job.subscriber.name, ...links });
    const returnPath = settings.bounceAddress
      ? returnPathFor(settings.bounceAddress, settings.secret, job.deliveryId, new Date(this.ctx.clock()))
      : undefined;
    const cfbl = settings.cfblAddress
      ? {
          address: settings.cfblAddress,
          feedbackId: cfblFeedbackIdFor(settings.secret, job.deliveryId, new Date(this.ctx.clock())),
        }
      : undefined;
    return composeTipMessage(finished, job.subscriber, this.ctx.sender, {
      messageId: job.messageId,
      unsubscribeUrl: links.unsubscribeUrl,
      slug: job.tip.slug,
      ...(returnPath ? { returnPath } : {}),
      ...(cfbl ? { cfbl } : {}),
    });
  }

  /**
   * The deferral reflex: a provider's "slow down" (a 4xx rate signal, see deferral-reflex.ts)
   * answered for one recipient suspends that recipient's site and hands the message back
   * untouched: no attempt is charged to the reader, the relay's guards do not count it (the
   * relay is fine; one provider is busy), and the site's readers wait while the others go on.
   */
  private async deferredBySite(job: Job, error: SendError): Promise<boolean> {
    const { shaper } = this.ctx;
    if (!shaper || (error.kind !== 'relay' && error.kind !== 'temporary')) return false;
    const signal = rateSignal(error.response);
    if (!signal || !(signal.specific || error.about.recipient)) return false;
    const at = this.ctx.clock();
    await shaper.defer(job.site, at, error.response);
    if (await this.ctx.store.settleHandedBack(job.deliveryId, at, error.response)) this.tally.handedBack();
    else this.tally.skipped();
    return true;
  }

  /**
   * A provider's policy refusal for one recipient (see site-refusals.ts): the first site to refuse
   * in a pass is suspended and its reader handed back untouched (nobody bounced, no attempt
   * charged); a second site refusing alike, or the relay's own words, stop the pass as before,
   * and the suspensions this pass set are taken back.
   */
  private async refusedBySite(job: Job, error: SendError): Promise<boolean> {
    const { shaper } = this.ctx;
    if (!shaper || error.kind !== 'unavailable' || !error.about.senderRefusal || !error.about.recipient) return false;
    const verdict = this.siteRefusals.judge(job.site, error.response);
    if (verdict.scope === 'pass') {
      await shaper.liftRefusals();
      return false;
    }
    const at = this.ctx.clock();
    await shaper.refuse(job.site, at, error.response);
    if (await this.ctx.store.settleHandedBack(job.deliveryId, at, error.response)) this.tally.handedBack();
    else this.tally.skipped();
    return true;
  }

  private async settleFailure(job: Job, error: SendError): Promise<void> {
    if ((await this.deferredBySite(job, error)) || (await this.refusedBySite(job, error))) return;
    // Stopped before the settle, so the other slots claim nothing more meanwhile.
    const stop = this.guards.failed(error);
    if (stop) this.tally.abort(stop.why, stop.cause);
    const { store } = this.ctx;
    const { email } = job.subscriber;
    const at = this.ctx.clock();
    if (error.connection) this.tally.connectionFailed(at, withoutAddresses(error.response).slice(0, 500));
    if (error.kind === 'relay' || error.kind === 'unavailable') {
      // The relay's failure (or the sender's), not the reader's: the delivery goes back as it was
      // before this claim, due again now, its attempt not counted and its 72 hours not started.
      // A delivery gone meanwhile (its reader erased their data) has nothing left to hand back.
      if (!(await store.settleHandedBack(job.deliveryId, at, error.response))) return this.tally.skipped();
      this.tally.handedBack();
      // An answer about this one recipient (not a lost connection, not 421): see chargeAnswers.
      if (error.kind === 'relay' && !error.connection && error.about.recipient)
        this.answers.push({ job, at, response: error.response });
      return;
    }
    const next = afterTemporaryFailure(job.createdAt, job.attempts, at);
    if (error.kind === 'permanent') {
      // Held, not bounced yet: back to 'retry' with the refusal recorded, so a crash or a pass that
      // turns out to face a refusing server leaves the reader to be asked again.
      const retryAt = next.state === 'retry' ? next.nextAttemptAt : at + RETRY_DELAYS_MS[0]!;
      if (!(await store.settleRefused(job.deliveryId, at, error.response, retryAt))) return this.tally.skipped();
      this.refusals.hold({
        deliveryId: job.deliveryId,
        subscriberId: job.subscriber.id,
        emailHash: addressHash(email),
        at,
        response: error.response,
        heldAttempts: job.attempts,
        email,
        slug: job.tip.slug,
      });
      return;
    }
    // A delivery gone meanwhile (its reader erased their data) has nothing left to retry: skipped.
    if (next.state === 'failed') {
      if (!(await store.settleFailed(job.deliveryId, at, error.response, 'temporary'))) return this.tally.skipped();
      this.tally.failed({
        email,
        slug: job.tip.slug,
        outcome: 'failed',
        response: `gave up after 72 hours: ${error.response}`,
      });
    } else {
      if (!(await store.settleRetry(job.deliveryId, at, error.response, next.nextAttemptAt)))
        return this.tally.skipped();
      this.tally.retried();
    }
  }
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
export async function* planPass(
  input: Omit<PassInput, 'renderer' | 'onProgress' | 'clock'>,
): AsyncGenerator<PlannedDelivery> {
  const ctx = passContext(input);
  for await (const { delivery: d, suppressed } of pendingItems(ctx)) {
    const blocker = retryBlocker(ctx, d, suppressed, ctx.now);
    yield blocker
      ? { email: d.subscriber.email, action: 'skip', slug: d.slug, week: d.week, reason: blocker.reason }
      : { email: d.subscriber.email, action: d.state === 'retry' ? 'retry' : 'resend', slug: d.slug, week: d.week };
  }
  for await (const { subscriber: s, ledger, suppressed } of dueItems(ctx)) {
    const decision = decide(s, ledger, suppressed, ctx.published, ctx.now, sendClockFor(s, ctx.defaults));
    const hold = decision.kind === 'send' ? ctx.holds.get(decision.tip.slug) : undefined;
    if (hold && decision.kind === 'send') {
      yield { email: s.email, action: 'skip', slug: hold.slug, week: hold.week, reason: holdText(hold) };
      continue;
    }
    yield decision.kind === 'send'
      ? { email: s.email, action: 'send', slug: decision.tip.slug, week: decision.tip.week }
      : { email: s.email, action: 'skip', reason: waitReasonText[decision.reason as WaitReason] };
  }
}
