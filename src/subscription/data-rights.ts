import { addressHash } from './address.ts';
import type { SubscriptionContext } from './context.ts';
import type { Subscriber, SubscriberHistory, SuppressionReason } from './subscriber-store.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The reader's own row, as "download my data" shows it (no internal ids). */
function subscriberData(s: Subscriber) {
  return {
    email: s.email,
    name: s.name,
    status: s.status,
    timezone: s.timezone,
    sendTime: s.sendTime,
    consent: {
      at: iso(s.consentAt),
      ip: s.consentIp,
      userAgent: s.consentUserAgent,
      source: s.consentSource,
    },
    createdAt: iso(s.createdAt),
    confirmedAt: iso(s.confirmedAt),
    statusChangedAt: iso(s.statusChangedAt),
    nextSendAt: iso(s.nextSendAt),
    lastSentAt: iso(s.lastSentAt),
    cycle: s.cycle,
    lastConfirmationSentAt: iso(s.confirmSentAt),
  };
}

/** Everything else stored about the reader, times as ISO strings. */
function historyData(history: SubscriberHistory) {
  return {
    deliveries: history.deliveries.map((d) => ({
      tip: d.tipSlug,
      week: d.week,
      cycle: d.cycle,
      state: d.state,
      attempts: d.attempts,
      messageId: d.messageId,
      createdAt: iso(d.createdAt),
      sentAt: iso(d.sentAt),
      attemptLog: d.attemptLog.map((a) => ({ at: iso(a.at), outcome: a.outcome, response: a.response })),
    })),
    systemEmails: history.systemEmails.map((e) => ({
      kind: e.kind,
      state: e.state,
      messageId: e.messageId,
      createdAt: iso(e.createdAt),
      sentAt: iso(e.sentAt),
    })),
    // "Did this help?": the answers this reader gave, and their comments.
    feedback: history.feedback.map((f) => ({
      tip: f.tipSlug,
      answer: f.answer,
      comment: f.comment,
      answeredAt: iso(f.createdAt),
      changedAt: iso(f.updatedAt),
    })),
    bounces: history.bounces.map((b) => ({
      kind: b.kind,
      source: b.source,
      status: b.status,
      detail: b.detail,
      receivedAt: iso(b.receivedAt),
    })),
  };
}

/** Everything stored about the reader, for "download my data" (no internal ids). */
export async function exportData(ctx: SubscriptionContext, s: Subscriber, now: Date) {
  const history = await ctx.store.history(s.id);
  return {
    newsletter: ctx.deps.series.name,
    exportedAt: iso(now.getTime()),
    subscriber: subscriberData(s),
    ...historyData(history),
  };
}

/** Erases the reader, their deliveries and their feedback answers (foreign keys cascade); only the hash of the address stays, so nothing is sent to it again unasked. */
export async function erase(
  ctx: SubscriptionContext,
  s: Subscriber,
  now: Date,
  reason: SuppressionReason = 'erased',
): Promise<void> {
  await ctx.store.suppress(addressHash(s.emailNormalized), reason, now.getTime());
  await ctx.store.remove(s.id);
  ctx.emit('erased', s, { outcome: reason });
}
