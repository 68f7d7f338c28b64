import { setTimeout as sleep } from 'node:timers/promises';
import type { Mailer } from './mailer.ts';

/**
 * Spaces the sends of `mailer` evenly at `rate()` messages per second, read at every send so the
 * rate may change under a running pass (a sender joining or leaving). Even spacing, not a
 * per-second window: a window lets a burst of a whole second's worth through at its start, and
 * several processes' bursts could land together. `undefined`: no limit.
 */
export function pacedMailer(mailer: Mailer, rate: () => number | undefined): Mailer {
  let next = 0;
  return {
    concurrency: mailer.concurrency,
    describe: () => mailer.describe(),
    close: () => mailer.close(),
    async send(message) {
      const r = rate();
      if (r !== undefined && r > 0) {
        const now = performance.now();
        const at = Math.max(now, next);
        next = at + 1000 / r;
        if (at > now) await sleep(at - now);
      }
      return mailer.send(message);
    },
  };
}
