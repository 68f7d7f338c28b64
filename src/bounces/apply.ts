import { maskAddress, withoutAddresses } from '../redact.ts';
import { addressHash, normalizeAddress } from '../subscription/address.ts';
import type { BouncedDelivery, BouncedSystemEmail, BounceReader, BounceStore } from './bounce-store.ts';
import type { BounceNotice } from './report.ts';
import type { SigningKeys } from '../subscription/tokens.ts';
import { deliveryOfFeedbackId } from './cfbl.ts';
import { deliveryOfReturnPath } from './verp.ts';

const DAY = 86_400_000;
/**
 * Soft bounces (4.x.x: mailbox full, server busy, greylisting given up) suppress a reader when
 * three different messages to them soft-bounced within 30 days. A weekly reader gets four or
 * five tips in 30 days, so that is most of them, not one bad evening; listmonk's default of two
 * in a row would drop a reader for one full mailbox over a fortnight's holiday.
 */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_WINDOW_MS = 30 * DAY;

/** `secret` signed the return paths; `previousSecrets` (after a rotation) still verify them. */
export interface BounceDeps extends SigningKeys {
  store: BounceStore;
}

export type BounceOutcome =
  /** Hard bounce, or the soft bounce that reached the limit: bounced and suppressed. */
  | 'bounced'
  /** Complaint: the reader is unsubscribed (status complained) and suppressed. */
  | 'complained'
  /** Soft bounce, counted. */
  | 'soft'
  /** Recorded, but the reader had left already. */
  | 'already'
  /** This report was applied before. */
  | 'duplicate'
  /** Not about a reader (a policy block, a not-spam report, a delay on its way): nothing changed. */
  | 'ignored'
  /** The reader could not be identified (unsigned, forged, unknown): nothing changed. */
  | 'unknown';

export interface BounceResult {
  outcome: BounceOutcome;
  /** One line for the operator, the address masked. */
  text: string;
  subscriberId?: number;
  slug?: string;
}

type Found = { reader: BounceReader; delivery?: BouncedDelivery; systemEmail?: BouncedSystemEmail; how: string };

/** The first signed return path whose email still has a reader; the reasons the others failed go to `problems`. */
async function byReturnPath(
  deps: BounceDeps,
  notice: BounceNotice,
  now: Date,
  problems: string[],
): Promise<Found | undefined> {
  for (const address of new Set(notice.returnPaths.map((a) => a.toLowerCase()))) {
    const check = deliveryOfReturnPath(address, deps, now);
    if (!check) continue;
    if (!check.ok) {
      problems.push(check.problem);
      continue;
    }
    if ('systemEmailId' in check) {
      const systemEmail = await deps.store.systemEmail(check.systemEmailId);
      const reader = systemEmail && (await deps.store.reader(systemEmail.subscriberId));
      if (reader) return { reader, systemEmail, how: 'return path' };
      problems.push('the email its return path names is gone (reader erased?)');
      continue;
    }
    const delivery = await deps.store.delivery(check.deliveryId);
    const reader = delivery && (await deps.store.reader(delivery.subscriberId));
    if (reader) return { reader, delivery, how: 'return path' };
    problems.push('the delivery its return path names is gone (reader erased?)');
  }
  return undefined;
}

/** The first signed CFBL-Feedback-ID (RFC 9477) whose delivery still has a reader. */
async function byFeedbackId(
  deps: BounceDeps,
  notice: BounceNotice,
  now: Date,
  problems: string[],
): Promise<Found | undefined> {
  for (const id of notice.feedbackIds ?? []) {
    const check = deliveryOfFeedbackId(id, deps, now);
    if (!check.ok) {
      problems.push(check.problem);
      continue;
    }
    const delivery = await deps.store.delivery(check.deliveryId);
    const reader = delivery && (await deps.store.reader(delivery.subscriberId));
    if (reader) return { reader, delivery, how: 'CFBL-Feedback-ID' };
    problems.push('the delivery its CFBL-Feedback-ID names is gone (reader erased?)');
  }
  return undefined;
}

/** The first original Message-ID that names a tip or a system email this newsletter sent. */
async function byMessageId(deps: BounceDeps, notice: BounceNotice): Promise<Found | undefined> {
  for (const id of notice.messageIds) {
    const delivery = await deps.store.deliveryByMessageId(id);
    const reader = delivery && (await deps.store.reader(delivery.subscriberId));
    if (reader) return { reader, delivery, how: 'Message-ID' };
    const systemEmail = await deps.store.systemEmailByMessageId(id);
    const addressee = systemEmail && (await deps.store.reader(systemEmail.subscriberId));
    if (addressee) return { reader: addressee, systemEmail, how: 'Message-ID' };
  }
  return undefined;
}

/** Webhooks name the address: its reader, with the last delivery sent to them. */
async function byAddress(
  deps: BounceDeps,
  notice: BounceNotice,
  now: Date,
  problems: string[],
): Promise<Found | undefined> {
  if (!notice.email) return undefined;
  const reader = await deps.store.readerByEmail(normalizeAddress(notice.email));
  if (reader) {
    const delivery = await deps.store.lastDelivery(reader.id, now.getTime());
    return { reader, ...(delivery ? { delivery } : {}), how: 'address' };
  }
  problems.push(`no reader with that address (${maskAddress(notice.email)})`);
  return undefined;
}

/** Why nobody was found, from the reasons collected and what the notice named. */
function notFound(notice: BounceNotice, problems: string[]): { problem: string } {
  if (notice.messageIds.length) problems.push('its original Message-ID is not one this newsletter sent');
  if (!notice.returnPaths.length && !notice.messageIds.length && !notice.email)
    problems.push('it names no return path, Message-ID or address');
  return {
    problem:
      [...new Set(problems)].join('; ') || 'it names no signed return path and no Message-ID this newsletter sent',
  };
}

/**
 * Who and which email a notice is about (a tip, or a confirmation, welcome or goodbye): the signed
 * return path first, then the signed CFBL-Feedback-ID, then the original Message-ID, then
 * (webhooks) the address.
 */
async function identify(deps: BounceDeps, notice: BounceNotice, now: Date): Promise<Found | { problem: string }> {
  const problems: string[] = [];
  return (
    (await byReturnPath(deps, notice, now, problems)) ??
    (await byFeedbackId(deps, notice, now, problems)) ??
    (await byMessageId(deps, notice)) ??
    (await byAddress(deps, notice, now, problems)) ??
    notFound(notice, problems)
  );
}

/** The reader, masked, and which email the notice is about: the start of every result line. */
function describe({ reader, delivery, systemEmail, how }: Found): string {
  const what = delivery ? ` (${delivery.slug})` : systemEmail ? ` (${systemEmail.kind} email)` : '';
  return `${maskAddress(reader.emailNormalized)}${what}, found by ${how}`;
}

/** Stores the event (addresses taken out of the detail); false when this report was stored before. */
function recordNotice(
  deps: BounceDeps,
  notice: BounceNotice,
  { reader, delivery }: Found,
  at: number,
): Promise<boolean> {
  return deps.store.record({
    subscriberId: reader.id,
    deliveryId: delivery?.id ?? null,
    kind: notice.kind,
    source: notice.source,
    status: notice.status ?? null,
    detail: notice.detail ? withoutAddresses(notice.detail) : null,
    eventKey: `${notice.key}:${reader.id}`,
    at,
  });
}

/** What the rules need once a new notice is recorded: who, when, and the start of the result. */
interface Applying {
  deps: BounceDeps;
  notice: BounceNotice;
  reader: BounceReader;
  at: number;
  base: Pick<BounceResult, 'subscriberId' | 'slug'>;
  about: string;
}

/** A complaint unsubscribes and suppresses at once. */
async function applyComplaint({ deps, reader, at, base, about }: Applying): Promise<BounceResult> {
  const changed = await deps.store.suppressReader(reader.id, addressHash(reader.emailNormalized), 'complained', at);
  return {
    ...base,
    outcome: changed ? 'complained' : 'already',
    text: `${about}: complaint${changed ? '; unsubscribed and suppressed' : `; was ${reader.status} already`}`,
  };
}

/** A soft bounce under the limit is only counted; undefined when it reached the limit. */
async function countSoftBounce({ deps, notice, reader, at, base, about }: Applying): Promise<BounceResult | undefined> {
  const since = Math.max(at - SOFT_BOUNCE_WINDOW_MS, reader.confirmedAt ?? 0);
  const count = await deps.store.softBounces(reader.id, since);
  if (count >= SOFT_BOUNCE_LIMIT) return undefined;
  return {
    ...base,
    outcome: 'soft',
    text: `${about}: soft bounce ${count} of ${SOFT_BOUNCE_LIMIT} in 30 days (${notice.status ?? 'no status'})`,
  };
}

/** A hard bounce, or the soft bounce that reached the limit: bounced and suppressed. */
async function applyBounce({ deps, notice, reader, at, base, about }: Applying): Promise<BounceResult> {
  const changed = await deps.store.suppressReader(reader.id, addressHash(reader.emailNormalized), 'bounced', at);
  const why =
    notice.kind === 'soft'
      ? `${SOFT_BOUNCE_LIMIT} soft bounces in 30 days`
      : `hard bounce (${notice.status ?? 'permanent'})`;
  return {
    ...base,
    outcome: changed ? 'bounced' : 'already',
    text: `${about}: ${why}${changed ? '; bounced and suppressed' : `; was ${reader.status} already`}`,
  };
}

/**
 * Applies one notice under the rules: hard → bounced and suppressed; soft → counted, bounced at
 * SOFT_BOUNCE_LIMIT within SOFT_BOUNCE_WINDOW_MS; complaint → complained (unsubscribed) and
 * suppressed at once. A notice that names nobody we know changes nothing.
 */
export async function applyNotice(deps: BounceDeps, notice: BounceNotice, now: Date): Promise<BounceResult> {
  const who = await identify(deps, notice, now);
  if ('problem' in who)
    return { outcome: 'unknown', text: `${notice.kind} ${notice.source} report not applied: ${who.problem}` };
  const at = now.getTime();
  const base = { subscriberId: who.reader.id, ...(who.delivery ? { slug: who.delivery.slug } : {}) };
  const about = describe(who);
  if (!(await recordNotice(deps, notice, who, at)))
    return { ...base, outcome: 'duplicate', text: `${about}: this ${notice.kind} report was applied before` };
  const applying: Applying = { deps, notice, reader: who.reader, at, base, about };
  if (notice.kind === 'complaint') return applyComplaint(applying);
  if (notice.kind === 'soft') {
    const counted = await countSoftBounce(applying);
    if (counted) return counted;
  }
  return applyBounce(applying);
}
