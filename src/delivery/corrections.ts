import { returnPathFor } from '../bounces/verp.ts';
import { publishedTips, type Series, type Tip, type TipCorrection } from '../content/index.ts';
import { textFingerprint, tipText } from '../content/fingerprint.ts';
import { composeTipMessage, senderFor } from '../mailer/compose.ts';
import { stableMessageId } from '../mailer/headers.ts';
import { SendError, type Mailer } from '../mailer/mailer.ts';
import { withoutAddresses } from '../redact.ts';
import type { CompiledEmail, PersonalisedEmail, Recipient } from '../render/index.ts';
import { sendClockFor } from '../series/cadence.ts';
import { withinSendWindow } from '../series/send-time.ts';
import type { CorrectionQuery, OwedMode, OwedReader } from '../store/corrections.ts';
import { addressHash } from '../subscription/address.ts';
import { listLinks } from '../subscription/links.ts';
import type { PassSettings } from './pass-context.ts';
import { afterTemporaryFailure, STALE_CLAIM_MS } from './retry-policy.ts';

export type { OwedReader } from '../store/corrections.ts';

/**
 * What the corrections need from the database (src/store/corrections.ts implements it): who is
 * owed a correction, and the corrections' ledger's claim and settle steps.
 */
export interface CorrectionStore {
  owedReaders(q: CorrectionQuery, when: OwedMode, afterId: number, limit: number): Promise<OwedReader[]>;
  claimCorrection(c: {
    reader: OwedReader;
    slug: string;
    key: string;
    messageId: string;
    at: number;
  }): Promise<{ id: number; attempts: number; createdAt: number } | undefined>;
  correctionSent(id: number, at: number, response: string): Promise<boolean>;
  correctionNotSent(
    id: number,
    claimedAt: number,
    response: string,
    nextAttemptAt: number | null,
    counted: boolean,
  ): Promise<boolean>;
  suppressed(emailHashes: readonly string[]): Promise<Set<string>>;
}

/** The part of the renderer corrections use. */
export interface CorrectionRenderer {
  compileCorrection(tip: Pick<Tip, 'slug' | 'title'>, correction: TipCorrection): Promise<CompiledEmail>;
  personaliseParts(email: CompiledEmail, recipient: Recipient): PersonalisedEmail;
}

/** A correction goes out within this long after the reader's own send time, like a tip in their evening. */
export const CORRECTION_WINDOW_MS = 4 * 3_600_000;
const DAY_MS = 86_400_000;
const BATCH = 500;

/**
 * Who is told: a reader whose sent copy of the tip carried a text other than the current one
 * (or a copy sent before fingerprints were recorded) and went out before the end of the
 * correction's date (UTC). A reader who also got the tip on or after that day, or got exactly
 * the current text, is not: they read the corrected text.
 */
export function correctionQuery(tip: Tip, correction: TipCorrection): CorrectionQuery {
  return {
    slug: tip.slug,
    key: correction.key,
    fingerprint: textFingerprint(tipText(tip)),
    cutoff: Date.parse(`${correction.date}T00:00:00Z`) + DAY_MS,
  };
}

/** One line of `newsletter corrections`: a correction and how many readers would be told. */
export interface CorrectionPlan {
  slug: string;
  title: string;
  date: string;
  key: string;
  text: string;
  /** Readers not yet told who got an earlier text (active, not suppressed). */
  readers: number;
}

export interface CorrectionsReport {
  sent: number;
  /** Failed for now; tried again later. */
  retrying: number;
  /** Refused for good, or 72 hours of failures. */
  failed: number;
  /** Owed but not in their evening now: told at a later pass. */
  waiting: number;
  /** Why the run stopped early (the relay failed); the rest wait for the next pass. */
  stopped?: string;
}

export interface CorrectionsDeps {
  store: CorrectionStore;
  mailer: () => Promise<Mailer>;
  settings: () => PassSettings;
}

export interface CorrectionsRequest {
  tips: readonly Tip[];
  series: Pick<Series, 'name' | 'from' | 'sendTime'>;
  renderer: CorrectionRenderer;
  now: Date;
  /** `evening`: each reader in their own evening (the regular pass); `now`: everyone owed (`--send`). */
  when: 'evening' | 'now';
  signal?: AbortSignal;
  /** Claim stamps (defaults to `now`): a sender killed mid-run leaves claims that go stale from them. */
  clock?: () => number;
}

/** Every correction of a published tip, newest tip order, with its query. */
function corrections(tips: readonly Tip[]): { tip: Tip; correction: TipCorrection; query: CorrectionQuery }[] {
  return publishedTips(tips).flatMap((tip) =>
    tip.corrections.map((correction) => ({ tip, correction, query: correctionQuery(tip, correction) })),
  );
}

/** Owed readers a batch at a time, the suppressed ones left out. */
async function* owed(store: CorrectionStore, q: CorrectionQuery, when: OwedMode): AsyncGenerator<OwedReader> {
  let afterId = 0;
  for (;;) {
    const batch = await store.owedReaders(q, when, afterId, BATCH);
    if (batch.length === 0) return;
    const suppressed = await store.suppressed(batch.map((r) => addressHash(r.email)));
    for (const r of batch) if (!suppressed.has(addressHash(r.email))) yield r;
    if (batch.length < BATCH) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/** The dry run: each correction and how many readers it would tell now. */
async function planCorrections(store: CorrectionStore, tips: readonly Tip[]): Promise<CorrectionPlan[]> {
  const out: CorrectionPlan[] = [];
  for (const { tip, correction, query } of corrections(tips)) {
    let readers = 0;
    for await (const _ of owed(store, query, { mode: 'untold' })) readers++;
    out.push({
      slug: tip.slug,
      title: tip.title,
      date: correction.date,
      key: correction.key,
      text: correction.text,
      readers,
    });
  }
  return out;
}

/**
 * Corrections to the readers who got an older text of a tip: a dry run (`plan`) and the send
 * (`run`), through the corrections' ledger so each reader is told once per correction, by
 * whichever sender claims them first.
 */
export function createCorrections(deps: CorrectionsDeps) {
  return {
    plan: (tips: readonly Tip[]) => planCorrections(deps.store, tips),

    async run(request: CorrectionsRequest): Promise<CorrectionsReport> {
      const report: CorrectionsReport = { sent: 0, retrying: 0, failed: 0, waiting: 0 };
      const list = corrections(request.tips);
      if (list.length === 0) return report;
      const settings = deps.settings();
      const mailer = await deps.mailer();
      const now = request.now.getTime();
      const clock = request.clock ?? (() => now);
      const sender = senderFor(request.series, settings.from);
      const defaults = { zone: settings.timezone, time: request.series.sendTime };
      for (const { tip, correction, query } of list) {
        const compiled = await request.renderer.compileCorrection(tip, correction);
        const readers = owed(deps.store, query, { mode: 'due', now, staleBefore: now - STALE_CLAIM_MS });
        const next = async (): Promise<OwedReader | undefined> => {
          for (;;) {
            const r = await readers.next();
            if (r.done) return undefined;
            const c = sendClockFor(r.value, defaults);
            if (request.when === 'evening' && !withinSendWindow(request.now, c.zone, c.time, CORRECTION_WINDOW_MS)) {
              report.waiting++;
              continue;
            }
            return r.value;
          }
        };
        // Readers are handed out one at a time to the mailer's slots (a generator is not re-entrant).
        let queue = Promise.resolve<OwedReader | undefined>(undefined);
        const take = () => (queue = queue.then(next, next));
        const slot = async () => {
          while (!report.stopped && !request.signal?.aborted) {
            const reader = await take();
            if (!reader) return;
            await tell(reader);
          }
        };
        const tell = async (reader: OwedReader) => {
          const messageId = stableMessageId(['correction', tip.slug, correction.key, reader.publicId], sender.from);
          const at = clock();
          const claim = await deps.store.claimCorrection({
            reader,
            slug: tip.slug,
            key: correction.key,
            messageId,
            at,
          });
          if (!claim) return;
          const links = listLinks(settings.baseUrl, settings.secret, reader.publicId, new Date(at));
          const finished = request.renderer.personaliseParts(compiled, { name: reader.name, ...links });
          const returnPath = settings.bounceAddress
            ? returnPathFor(settings.bounceAddress, settings.secret, claim.id, new Date(at))
            : undefined;
          try {
            const { response } = await mailer.send({
              ...composeTipMessage(finished, reader, sender, {
                messageId,
                unsubscribeUrl: links.unsubscribeUrl,
                slug: tip.slug,
                ...(returnPath ? { returnPath } : {}),
              }),
              headers: { 'X-Newsletter-Tip': tip.slug, 'X-Newsletter-Correction': correction.key },
            });
            if (await deps.store.correctionSent(claim.id, clock(), response)) report.sent++;
          } catch (e) {
            await settleFailure(deps.store, report, claim, at, e, clock());
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, mailer.concurrency) }, slot));
        if (report.stopped || request.signal?.aborted) break;
      }
      return report;
    },
  };
}

/** A correction not sent: the relay's failure hands it back unspent and stops the run; the reader's is retried, then given up. */
async function settleFailure(
  store: CorrectionStore,
  report: CorrectionsReport,
  claim: { id: number; attempts: number; createdAt: number },
  claimedAt: number,
  e: unknown,
  at: number,
): Promise<void> {
  const error = e instanceof SendError ? e : new SendError('unavailable', `not sent: ${String(e)}`);
  const response = withoutAddresses(error.response).slice(0, 500);
  if (error.kind === 'relay' || error.kind === 'unavailable') {
    await store.correctionNotSent(claim.id, claimedAt, response, at, false);
    report.retrying++;
    report.stopped ??= response;
    return;
  }
  const next =
    error.kind === 'permanent'
      ? { state: 'failed' as const }
      : afterTemporaryFailure(claim.createdAt, claim.attempts, at);
  await store.correctionNotSent(
    claim.id,
    claimedAt,
    response,
    next.state === 'retry' ? next.nextAttemptAt : null,
    true,
  );
  if (next.state === 'retry') report.retrying++;
  else report.failed++;
}

/** One line for the pass's output and the service log, or undefined when nothing happened. */
export function describeCorrections(r: CorrectionsReport): string | undefined {
  const parts = [
    r.sent ? `${r.sent} sent` : '',
    r.retrying ? `${r.retrying} to try again` : '',
    r.failed ? `${r.failed} given up` : '',
    r.waiting ? `${r.waiting} waiting for the reader's evening` : '',
  ].filter(Boolean);
  if (!parts.length && !r.stopped) return undefined;
  const stopped = r.stopped ? `; the mail server failed (${r.stopped}): the rest wait for the next pass` : '';
  return `corrections: ${parts.join(', ') || 'none sent'}${stopped}`;
}

export type Corrections = ReturnType<typeof createCorrections>;
