import { CLAIM_RENEW_MS } from './retry-policy.ts';

/** The part of the ledger a lease needs. */
export interface LeaseStore {
  /** Stamps `claimed_at = at` on these deliveries while they are still 'sending'. */
  renewClaims(deliveryIds: readonly number[], at: number): Promise<void>;
}

/**
 * Keeps the claims of a pass's messages in flight alive. A claim left in 'sending' for
 * STALE_CLAIM_MS is taken as a crashed sender's and sent again by another pass; a live one is
 * renewed every `everyMs`, so a server that takes its time to answer (RFC 5321 allows 10 minutes
 * for the final dot alone, see src/mailer/smtp-timeouts.ts) never has its message sent twice.
 * Only a sender that died stops renewing, and its claims come back after the lease. A renewal
 * that fails (the database briefly gone) is tried again at the next one: the lease is ten of them.
 */
export class ClaimLease {
  private readonly held = new Set<number>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly store: LeaseStore,
    private readonly clock: () => number,
    everyMs = CLAIM_RENEW_MS,
  ) {
    this.timer = setInterval(() => this.renew(), everyMs);
    // The pass's own work keeps the process alive; the lease never does.
    this.timer.unref();
  }

  hold(deliveryId: number): void {
    this.held.add(deliveryId);
  }

  release(deliveryId: number): void {
    this.held.delete(deliveryId);
  }

  /** Stops renewing and waits for a renewal under way, so the database can be closed after. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
  }

  private renew(): void {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = this.store
      .renewClaims([...this.held], this.clock())
      .catch(() => undefined)
      .finally(() => {
        this.renewing = undefined;
      });
  }
}
