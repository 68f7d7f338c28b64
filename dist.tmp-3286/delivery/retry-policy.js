// ../../work/wt/h-studio/src/delivery/retry-policy.ts
var RETRY_DELAYS_MS = [15, 60, 240, 720, 1440].map((minutes) => minutes * 6e4);
var GIVE_UP_AFTER_MS = 72 * 36e5;
var STALE_CLAIM_MS = 10 * 6e4;
var CLAIM_RENEW_MS = STALE_CLAIM_MS / 10;
function afterTemporaryFailure(firstAttemptAt, attempts, at) {
  const deadline = firstAttemptAt + GIVE_UP_AFTER_MS;
  if (at >= deadline) return { state: "failed" };
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1];
  return { state: "retry", nextAttemptAt: Math.min(at + delay, deadline) };
}
export {
  CLAIM_RENEW_MS,
  GIVE_UP_AFTER_MS,
  RETRY_DELAYS_MS,
  STALE_CLAIM_MS,
  afterTemporaryFailure
};
//# sourceMappingURL=retry-policy.js.map
