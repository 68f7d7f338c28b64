import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

/** Counts shared by every site process on one database (store/rate-limits.ts fits). */
export interface LimitCounter {
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }>;
  read(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }>;
  prune(before: number): Promise<number>;
}

/** Windows that ended are deleted at most this often per process. */
const PRUNE_EVERY_MS = 60_000;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit over `counter`, so a limit holds across replicas: the 11th
 * sign-up from one IP is refused whichever process it reaches. Keys carry their limiter's name
 * (`subscribe-ip:…`), so one store serves every limiter and `child` needs no state of its own.
 * Windows are the in-memory store's: they begin at a key's first request.
 */
export function sharedLimitStore(counter: LimitCounter, clock: () => number = Date.now): FastifyRateLimitStoreCtor {
  let longestWindow = 0;
  let lastPrune = 0;
  const answer = (cb: Callback, now: number, windowMs: number) => (w: { count: number; windowStart: number }) =>
    cb(null, { current: w.count, ttl: Math.max(0, w.windowStart + windowMs - now) });

  class SharedLimitStore implements FastifyRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = clock();
      counter
        .hit(key, timeWindow, now)
        .then(answer(cb, now, timeWindow), (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))));
      longestWindow = Math.max(longestWindow, timeWindow);
      if (now - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now;
        // Pruning is housekeeping: a failure leaves old rows for the next try, never fails a request.
        counter.prune(now - longestWindow).catch(() => {});
      }
    }

    read(key: string, cb: Callback, timeWindow: number): void {
      const now = clock();
      counter
        .read(key, timeWindow, now)
        .then(answer(cb, now, timeWindow), (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return SharedLimitStore;
}
