import { withoutAddresses } from '../redact.ts';
import type { SendNow } from '../subscription/subscriptions.ts';

export interface BackgroundMail {
  /** Sends an email a request queued, after the answer (or leaves it to the scheduler when many are in flight). */
  background(what: string, send: SendNow | undefined): void;
  /** Waits until every email started here has been sent or put back in the queue. */
  idle(): Promise<void>;
}

/**
 * An email a request queued is sent after the answer, never before it: the answer's timing then
 * says nothing about the address, and a slow or stalled relay never holds a request. Beyond
 * `mailBacklog` sends at once, it is left in the queue for the scheduler's next drain.
 */
export function backgroundMail(mailBacklog: number, log: (line: string) => void): BackgroundMail {
  const inFlight = new Set<Promise<unknown>>();
  return {
    background(what, send) {
      if (!send || inFlight.size >= mailBacklog) return;
      // Started on the next turn of the event loop, once the answer is on its way.
      const tracked = new Promise<void>((resolve) => setImmediate(resolve)).then(send).then(
        (r) => {
          // SMTP answers often quote the recipient: addresses never reach the log.
          if (r.outcome === 'queued')
            log(
              `${what} email could not be sent now: ${withoutAddresses(r.reason)}; it stays queued and the scheduler tries again`,
            );
          if (r.outcome === 'failed')
            log(`${what} email was refused by the mail server: ${withoutAddresses(r.reason)}`);
        },
        (e: unknown) =>
          log(
            `${what} email could not be sent: ${withoutAddresses(e instanceof Error ? e.message : String(e))}; it stays queued and the scheduler tries again`,
          ),
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
