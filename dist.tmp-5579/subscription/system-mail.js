// ../../work/wt/h-studio/src/subscription/system-mail.ts
import { listIdFor, stableMessageId } from "../mailer/headers.js";
import { SendError } from "../mailer/mailer.js";
import { encodeParts } from "../mailer/quoted-printable.js";
import { withoutAddresses } from "../redact.js";
import { describeLocalTime } from "../content/local-time.js";
import { subscriberLinks } from "./links.js";
import { greetingName } from "./names.js";
import { RETURNING, SUBSCRIBED } from "./status.js";
import { tokenLifetimeDays } from "./tokens.js";
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
function firstTipSentence(s, defaultTimezone) {
  if (s.status === "active" && s.nextSendAt !== null)
    return `Your first tip arrives on ${describeLocalTime(s.nextSendAt, s.timezone ?? defaultTimezone)}.`;
  return "Your tips are paused: resume them from your preferences and the first one follows at your next send time.";
}
var SYSTEM_EMAIL_LIFETIME_MS = {
  confirm: tokenLifetimeDays.confirm * 24 * HOUR,
  welcome: 72 * HOUR,
  goodbye: 72 * HOUR
};
var SYSTEM_EMAIL_LEASE_MS = 30 * MINUTE;
var RETRY_DELAYS_MS = [5, 15, 30, 60].map((m) => m * MINUTE);
function systemEmailFor(kind, s, at, from) {
  const messageId = stableMessageId(kind === "welcome" ? ["welcome", s.publicId] : [kind, s.publicId, at], from);
  return { kind, messageId, at, expiresAt: at + SYSTEM_EMAIL_LIFETIME_MS[kind] };
}
function isRelayFailure(e) {
  if (!(e instanceof SendError)) return true;
  return e.kind === "unavailable" || e.connection || /^421\b/.test(e.response);
}
var reasonOf = (e) => withoutAddresses(e instanceof Error ? e.message : String(e)).slice(0, 500);
async function deliver(deps, e, now) {
  const kind = e.kind;
  const s = e.subscriber;
  const compiled = await deps.renderer.compileSystem(kind);
  const links = subscriberLinks(
    deps.baseUrl,
    deps.secret,
    s.publicId,
    kind === "confirm" ? new Date(e.createdAt) : now
  );
  const name = greetingName(kind, s.name);
  const finished = deps.renderer.personaliseParts(compiled, {
    name,
    ...links,
    ...kind === "welcome" ? { firstTip: firstTipSentence(s, deps.defaultTimezone) } : {}
  });
  await deps.mailer.send({
    to: s.email,
    toName: name,
    from: deps.from,
    subject: finished.subject,
    encoded: encodeParts(finished),
    messageId: e.messageId,
    ...deps.returnPath ? { returnPath: deps.returnPath(e.id, now) } : {},
    ...compiled.listMail ? { unsubscribeUrl: links.unsubscribeUrl, listId: listIdFor(deps.series.name, deps.from) } : {}
  });
}
function wanted(e) {
  const s = e.subscriber;
  if (e.kind === "welcome") return SUBSCRIBED.includes(s.status);
  if (e.kind === "goodbye") return s.status === "unsubscribed";
  return s.status === "pending" || RETURNING.includes(s.status) && s.statusChangedAt <= e.createdAt;
}
function createSystemMail(deps) {
  const { store } = deps;
  async function attempt(e, now) {
    const at = now.getTime();
    if (e.expiresAt !== null && e.expiresAt <= at) {
      await store.systemEmailSettled(e.id, e.claimedAt, "expired", null);
      return { outcome: "expired" };
    }
    if (!wanted(e)) {
      await store.systemEmailSettled(e.id, e.claimedAt, "cancelled", null);
      return { outcome: "cancelled" };
    }
    try {
      await deliver(deps, e, now);
    } catch (error) {
      const reason = reasonOf(error);
      if (error instanceof SendError && error.kind === "permanent") {
        await store.systemEmailSettled(e.id, e.claimedAt, "failed", reason);
        return { outcome: "failed", reason };
      }
      const relay = isRelayFailure(error);
      const retryAt = relay ? at : at + RETRY_DELAYS_MS[Math.min(e.attempts, RETRY_DELAYS_MS.length - 1)];
      await store.systemEmailRetry(e.id, e.claimedAt, { nextAttemptAt: retryAt, error: reason, counted: !relay });
      return { outcome: "queued", reason, relay, retryAt };
    }
    await store.systemEmailSent(e.id, at);
    return { outcome: "sent" };
  }
  async function sendQueued(id, now) {
    const at = now.getTime();
    const claimed = await store.claimSystemEmail(id, at, at - SYSTEM_EMAIL_LEASE_MS);
    if (!claimed) return { outcome: "taken" };
    return attempt(claimed, now);
  }
  async function drain(now, options = {}) {
    const at = now.getTime();
    const report = {
      sent: 0,
      retrying: 0,
      failed: 0,
      cancelled: 0,
      expired: await store.expireSystemEmails(at)
    };
    const worker = async () => {
      while (!report.stopped && !options.signal?.aborted) {
        const claimed = await store.claimNextSystemEmail(at, at - SYSTEM_EMAIL_LEASE_MS);
        if (!claimed) return;
        const r = await attempt(claimed, now);
        if (r.outcome === "sent") report.sent++;
        else if (r.outcome === "failed") report.failed++;
        else if (r.outcome === "cancelled") report.cancelled++;
        else if (r.outcome === "expired") report.expired[claimed.kind] = (report.expired[claimed.kind] ?? 0) + 1;
        else if (r.outcome === "queued") {
          report.retrying++;
          if (r.relay) report.stopped ??= r.reason;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.mailer.concurrency) }, worker));
    return report;
  }
  return { sendQueued, drain };
}
export {
  SYSTEM_EMAIL_LEASE_MS,
  SYSTEM_EMAIL_LIFETIME_MS,
  createSystemMail,
  firstTipSentence,
  systemEmailFor
};
//# sourceMappingURL=system-mail.js.map
