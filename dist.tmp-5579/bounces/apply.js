// ../../work/wt/h-studio/src/bounces/apply.ts
import { maskAddress, withoutAddresses } from "../redact.js";
import { addressHash, normalizeAddress } from "../subscription/address.js";
import { deliveryOfReturnPath } from "./verp.js";
var DAY = 864e5;
var SOFT_BOUNCE_LIMIT = 3;
var SOFT_BOUNCE_WINDOW_MS = 30 * DAY;
async function byReturnPath(deps, notice, now, problems) {
  for (const address of new Set(notice.returnPaths.map((a) => a.toLowerCase()))) {
    const check = deliveryOfReturnPath(address, deps, now);
    if (!check) continue;
    if (!check.ok) {
      problems.push(check.problem);
      continue;
    }
    if ("systemEmailId" in check) {
      const systemEmail = await deps.store.systemEmail(check.systemEmailId);
      const reader2 = systemEmail && await deps.store.reader(systemEmail.subscriberId);
      if (reader2) return { reader: reader2, systemEmail, how: "return path" };
      problems.push("the email its return path names is gone (reader erased?)");
      continue;
    }
    const delivery = await deps.store.delivery(check.deliveryId);
    const reader = delivery && await deps.store.reader(delivery.subscriberId);
    if (reader) return { reader, delivery, how: "return path" };
    problems.push("the delivery its return path names is gone (reader erased?)");
  }
  return void 0;
}
async function byMessageId(deps, notice) {
  for (const id of notice.messageIds) {
    const delivery = await deps.store.deliveryByMessageId(id);
    const reader = delivery && await deps.store.reader(delivery.subscriberId);
    if (reader) return { reader, delivery, how: "Message-ID" };
    const systemEmail = await deps.store.systemEmailByMessageId(id);
    const addressee = systemEmail && await deps.store.reader(systemEmail.subscriberId);
    if (addressee) return { reader: addressee, systemEmail, how: "Message-ID" };
  }
  return void 0;
}
async function byAddress(deps, notice, now, problems) {
  if (!notice.email) return void 0;
  const reader = await deps.store.readerByEmail(normalizeAddress(notice.email));
  if (reader) {
    const delivery = await deps.store.lastDelivery(reader.id, now.getTime());
    return { reader, ...delivery ? { delivery } : {}, how: "address" };
  }
  problems.push(`no reader with that address (${maskAddress(notice.email)})`);
  return void 0;
}
function notFound(notice, problems) {
  if (notice.messageIds.length) problems.push("its original Message-ID is not one this newsletter sent");
  if (!notice.returnPaths.length && !notice.messageIds.length && !notice.email)
    problems.push("it names no return path, Message-ID or address");
  return {
    problem: [...new Set(problems)].join("; ") || "it names no signed return path and no Message-ID this newsletter sent"
  };
}
async function identify(deps, notice, now) {
  const problems = [];
  return await byReturnPath(deps, notice, now, problems) ?? await byMessageId(deps, notice) ?? await byAddress(deps, notice, now, problems) ?? notFound(notice, problems);
}
function describe({ reader, delivery, systemEmail, how }) {
  const what = delivery ? ` (${delivery.slug})` : systemEmail ? ` (${systemEmail.kind} email)` : "";
  return `${maskAddress(reader.emailNormalized)}${what}, found by ${how}`;
}
function recordNotice(deps, notice, { reader, delivery }, at) {
  return deps.store.record({
    subscriberId: reader.id,
    deliveryId: delivery?.id ?? null,
    kind: notice.kind,
    source: notice.source,
    status: notice.status ?? null,
    detail: notice.detail ? withoutAddresses(notice.detail) : null,
    eventKey: `${notice.key}:${reader.id}`,
    at
  });
}
async function applyComplaint({ deps, reader, at, base, about }) {
  const changed = await deps.store.suppressReader(reader.id, addressHash(reader.emailNormalized), "complained", at);
  return {
    ...base,
    outcome: changed ? "complained" : "already",
    text: `${about}: complaint${changed ? "; unsubscribed and suppressed" : `; was ${reader.status} already`}`
  };
}
async function countSoftBounce({ deps, notice, reader, at, base, about }) {
  const since = Math.max(at - SOFT_BOUNCE_WINDOW_MS, reader.confirmedAt ?? 0);
  const count = await deps.store.softBounces(reader.id, since);
  if (count >= SOFT_BOUNCE_LIMIT) return void 0;
  return {
    ...base,
    outcome: "soft",
    text: `${about}: soft bounce ${count} of ${SOFT_BOUNCE_LIMIT} in 30 days (${notice.status ?? "no status"})`
  };
}
async function applyBounce({ deps, notice, reader, at, base, about }) {
  const changed = await deps.store.suppressReader(reader.id, addressHash(reader.emailNormalized), "bounced", at);
  const why = notice.kind === "soft" ? `${SOFT_BOUNCE_LIMIT} soft bounces in 30 days` : `hard bounce (${notice.status ?? "permanent"})`;
  return {
    ...base,
    outcome: changed ? "bounced" : "already",
    text: `${about}: ${why}${changed ? "; bounced and suppressed" : `; was ${reader.status} already`}`
  };
}
async function applyNotice(deps, notice, now) {
  const who = await identify(deps, notice, now);
  if ("problem" in who)
    return { outcome: "unknown", text: `${notice.kind} ${notice.source} report not applied: ${who.problem}` };
  const at = now.getTime();
  const base = { subscriberId: who.reader.id, ...who.delivery ? { slug: who.delivery.slug } : {} };
  const about = describe(who);
  if (!await recordNotice(deps, notice, who, at))
    return { ...base, outcome: "duplicate", text: `${about}: this ${notice.kind} report was applied before` };
  const applying = { deps, notice, reader: who.reader, at, base, about };
  if (notice.kind === "complaint") return applyComplaint(applying);
  if (notice.kind === "soft") {
    const counted = await countSoftBounce(applying);
    if (counted) return counted;
  }
  return applyBounce(applying);
}
export {
  SOFT_BOUNCE_LIMIT,
  SOFT_BOUNCE_WINDOW_MS,
  applyNotice
};
//# sourceMappingURL=apply.js.map
