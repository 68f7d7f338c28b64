// ../../work/wt/h-studio/src/web/shared-limits.ts
var PRUNE_EVERY_MS = 6e4;
function sharedLimitStore(counter, clock = Date.now) {
  let longestWindow = 0;
  let lastPrune = 0;
  const answer = (cb, now, windowMs) => (w) => cb(null, { current: w.count, ttl: Math.max(0, w.windowStart + windowMs - now) });
  class SharedLimitStore {
    incr(key, cb, timeWindow) {
      const now = clock();
      counter.hit(key, timeWindow, now).then(answer(cb, now, timeWindow), (e) => cb(e instanceof Error ? e : new Error(String(e))));
      longestWindow = Math.max(longestWindow, timeWindow);
      if (now - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now;
        counter.prune(now - longestWindow).catch(() => {
        });
      }
    }
    read(key, cb, timeWindow) {
      const now = clock();
      counter.read(key, timeWindow, now).then(answer(cb, now, timeWindow), (e) => cb(e instanceof Error ? e : new Error(String(e))));
    }
    child() {
      return this;
    }
  }
  return SharedLimitStore;
}
export {
  sharedLimitStore
};
//# sourceMappingURL=shared-limits.js.map
