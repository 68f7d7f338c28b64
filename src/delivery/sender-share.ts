import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pacedMailer } from '../mailer/paced-mailer.ts';
import { runPass, type PassInput, type PassSummary } from './dispatcher.ts';
import type { Mailer } from '../mailer/mailer.ts';

/**
 * The passes in progress across all processes on the database (`src/store/senders.ts` implements
 * it), each row kept alive by its pass's heartbeat.
 */
export interface SenderRegistry {
  /** Registers a pass; how many other live passes there are. */
  join(id: string, staleMs: number): Promise<number>;
  /** Keeps the pass alive; how many live passes there are, itself included. */
  beat(id: string, staleMs: number): Promise<number>;
  leave(id: string): Promise<void>;
}

/** How often a pass says it is alive and re-reads how many others are. */
export const HEARTBEAT_MS = 2_000;
/** A pass not heard from for this long (a killed process) no longer counts. */
export const STALE_SENDER_MS = 10_000;

/** The rule behind a global NEWSLETTER_RATE: every live pass gets an equal part of it. */
export function rateShare(rate: number | undefined, livePasses: number): number | undefined {
  return rate === undefined ? undefined : rate / Math.max(1, livePasses);
}

export interface SenderShare {
  /** This pass's messages per second now (undefined: no NEWSLETTER_RATE). */
  rate(): number | undefined;
  /** Live passes at the last heartbeat, this one included. */
  live(): number;
  leave(): Promise<void>;
}

export interface ShareOptions {
  /** NEWSLETTER_RATE: the ceiling for all passes together. */
  rate: number | undefined;
  heartbeatMs?: number;
  staleMs?: number;
}

/**
 * Registers a pass among the senders and keeps its share of the rate current. With a rate and
 * other passes already running, it first waits one heartbeat (and a little): by then each of the
 * others has counted this one and lowered its own share, so the total never overshoots while
 * they catch up. A failed heartbeat keeps the last count; the pass goes on.
 */
export async function joinSenders(registry: SenderRegistry, options: ShareOptions): Promise<SenderShare> {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const staleMs = options.staleMs ?? STALE_SENDER_MS;
  const id = randomUUID();
  let live = (await registry.join(id, staleMs)) + 1;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // A chain of timeouts, not an interval: a slow database never stacks heartbeats up.
  const schedule = () => {
    timer = setTimeout(async () => {
      live = await registry.beat(id, staleMs).catch(() => live);
      if (!stopped) schedule();
    }, heartbeatMs);
    timer.unref();
  };
  schedule();
  if (options.rate !== undefined && live > 1) await sleep(Math.round(heartbeatMs * 1.25));
  return {
    rate: () => rateShare(options.rate, live),
    live: () => live,
    async leave() {
      stopped = true;
      clearTimeout(timer);
      await registry.leave(id).catch(() => undefined);
    },
  };
}

/**
 * One dispatch pass as one of possibly several senders on the database: registered for its
 * duration, its sends spaced at its share of NEWSLETTER_RATE.
 */
export async function runSharedPass(
  input: PassInput & { mailer: Mailer; registry: SenderRegistry; rate: number | undefined },
): Promise<PassSummary> {
  const { registry, rate, mailer, ...pass } = input;
  const share = await joinSenders(registry, { rate });
  // Alone, the earliest due go first; beside others, start at a random point so the passes work
  // on different readers instead of racing each other for the same ones.
  const startAt = share.live() > 1 ? Math.random() : undefined;
  try {
    return await runPass({
      ...pass,
      live: () => share.live(),
      ...(startAt === undefined ? {} : { startAt }),
      mailer: rate === undefined ? mailer : pacedMailer(mailer, share.rate),
    });
  } finally {
    await share.leave();
  }
}
