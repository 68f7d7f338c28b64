// ../../work/wt/h-studio/src/subscription/data-rights.ts
import { addressHash } from "./address.js";
var iso = (ms) => ms === null ? null : new Date(ms).toISOString();
function subscriberData(s) {
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
      source: s.consentSource
    },
    createdAt: iso(s.createdAt),
    confirmedAt: iso(s.confirmedAt),
    statusChangedAt: iso(s.statusChangedAt),
    nextSendAt: iso(s.nextSendAt),
    lastSentAt: iso(s.lastSentAt),
    cycle: s.cycle,
    lastConfirmationSentAt: iso(s.confirmSentAt)
  };
}
function historyData(history) {
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
      attemptLog: d.attemptLog.map((a) => ({ at: iso(a.at), outcome: a.outcome, response: a.response }))
    })),
    systemEmails: history.systemEmails.map((e) => ({
      kind: e.kind,
      state: e.state,
      messageId: e.messageId,
      createdAt: iso(e.createdAt),
      sentAt: iso(e.sentAt)
    })),
    // "Did this help?": the answers this reader gave, and their comments.
    feedback: history.feedback.map((f) => ({
      tip: f.tipSlug,
      answer: f.answer,
      comment: f.comment,
      answeredAt: iso(f.createdAt),
      changedAt: iso(f.updatedAt)
    })),
    bounces: history.bounces.map((b) => ({
      kind: b.kind,
      source: b.source,
      status: b.status,
      detail: b.detail,
      receivedAt: iso(b.receivedAt)
    }))
  };
}
async function exportData(ctx, s, now) {
  const history = await ctx.store.history(s.id);
  return {
    newsletter: ctx.deps.series.name,
    exportedAt: iso(now.getTime()),
    subscriber: subscriberData(s),
    ...historyData(history)
  };
}
async function erase(ctx, s, now, reason = "erased") {
  await ctx.store.suppress(addressHash(s.emailNormalized), reason, now.getTime());
  await ctx.store.remove(s.id);
  ctx.emit("erased", s, { outcome: reason });
}
export {
  erase,
  exportData
};
//# sourceMappingURL=data-rights.js.map
