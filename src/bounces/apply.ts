import { maskAddress, withoutAddresses } from '../redact.ts';
import { addressHash, normalizeAddress } from '../subscription/address.ts';
import type { BouncedDelivery, BouncedSystemEmail, BounceReader, BounceStore } from './bounce-store.ts';
import type { BounceNotice } from './report.ts';
import type { SigningKeys } from '../subscription/tokens.ts';
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

/**
 * Who and which email a notice is about (a tip, or a confirmation, welcome or goodbye): the signed
 * return path first, then the original Message-ID, then (webhooks) the address.
 */
async function identify(
  deps: BounceDeps,
  notice: BounceNotice,
  now: Date,
): Promise<
  | { reader: BounceReader; delivery?: BouncedDelivery; systemEmail?: BouncedSystemEmail; how: string }
  | { problem: string }
> {
  const problems: string[] = [];
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
  for (const id of notice.messageIds) {
    const delivery = await deps.store.deliveryByMessageId(id);
    const reader = delivery && (await deps.store.reader(delivery.subscriberId));
    if (reader) return { reader, delivery, how: 'Message-ID' };
    const systemEmail = await deps.store.systemEmailByMessageId(id);
    const addressee = systemEmail && (await deps.store.reader(systemEmail.subscriberId));
    if (addressee) return { reader: addressee, systemEmail, how: 'Message-ID' };
  }
  if (notice.email) {
    const reader = await deps.store.readerByEmail(normalizeAddress(notice.email));
    if (reader) {
      const delivery = await deps.store.lastDelivery(reader.id, now.getTime());
      return { reader, ...(delivery ? { delivery } : {}), how: 'address' };
    }
    problems.push(`no reader with that address (${maskAddress(notice.email)})`);
  }
  if (notice.messageIds.length) problems.push('its original Message-ID is not one this newsletter sent');
  if (!notice.returnPaths.length && !notice.messageIds.length && !notice.email)
    problems.push('it names no return path, Message-ID or address');
  return {
    problem:
      [...new Set(problems)].join('; ') || 'it names no signed return path and no Message-ID this newsletter sent',
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
  const { reader, delivery, systemEmail } = who;
  const at = now.getTime();
  const base = { subscriberId: reader.id, ...(delivery ? { slug: delivery.slug } : {}) };
  const what = delivery ? ` (${delivery.slug})` : systemEmail ? ` (${systemEmail.kind} email)` : '';
  const about = `${maskAddress(reader.emailNormalized)}${what}, found by ${who.how}`;
  const recorded = await deps.store.record({
    subscriberId: reader.id,
    deliveryId: delivery?.id ?? null,
    kind: notice.kind,
    source: notice.source,
    status: notice.status ?? null,
    detail: notice.detail ? withoutAddresses(notice.detail) : null,
    eventKey: `${notice.key}:${reader.id}`,
    at,
  });
  if (!recorded)
    return { ...base, outcome: 'duplicate', text: `${about}: this ${notice.kind} report was applied before` };
  const hash = addressHash(reader.emailNormalized);

  if (notice.kind === 'complaint') {
    const changed = await deps.store.suppressReader(reader.id, hash, 'complained', at);
    return {
      ...base,
      outcome: changed ? 'complained' : 'already',
      text: `${about}: complaint${changed ? '; unsubscribed and suppressed' : `; was ${reader.status} already`}`,
    };
  }
  if (notice.kind === 'soft') {
    const since = Math.max(at - SOFT_BOUNCE_WINDOW_MS, reader.confirmedAt ?? 0);
    const count = await deps.store.softBounces(reader.id, since);
    if (count < SOFT_BOUNCE_LIMIT)
      return {
        ...base,
        outcome: 'soft',
        text: `${about}: soft bounce ${count} of ${SOFT_BOUNCE_LIMIT} in 30 days (${notice.status ?? 'no status'})`,
      };
  }
  const changed = await deps.store.suppressReader(reader.id, hash, 'bounced', at);
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
