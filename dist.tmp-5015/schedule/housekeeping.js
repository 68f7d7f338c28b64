// ../../work/wt/h-studio/src/schedule/housekeeping.ts
async function keepHouse(deps) {
  const purged = await deps.subscriptions.purgePending(deps.now);
  const systemEmails = await deps.subscriptions.drainSystemEmails(deps.now, deps.signal ? { signal: deps.signal } : {});
  return { purged, systemEmails };
}
function describeDrain(r) {
  const expired = Object.entries(r.expired).map(([kind, n]) => `${n} ${kind}`);
  const parts = [
    r.sent ? `${r.sent} sent` : "",
    r.retrying ? `${r.retrying} to try again` : "",
    r.failed ? `${r.failed} refused for good by the server` : "",
    r.cancelled ? `${r.cancelled} no longer wanted` : "",
    expired.length ? `${expired.join(", ")} expired unsent` : ""
  ].filter(Boolean);
  if (!parts.length && !r.stopped) return void 0;
  const stopped = r.stopped ? `; the mail server failed (${r.stopped}): the rest wait for the next tick` : "";
  return `confirmation, welcome and goodbye emails: ${parts.join(", ") || "none sent"}${stopped}`;
}
export {
  describeDrain,
  keepHouse
};
//# sourceMappingURL=housekeeping.js.map
