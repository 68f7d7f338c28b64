import type { BounceSettle } from './delivery-store.ts';

/** Below this many refusals in one pass, a pass that delivered to others bounces them all. */
export const REFUSALS_ALWAYS_TRUSTED = 10;
/** Above this share of a pass's recipients, its refusals point at the server, not the readers. */
export const MAX_REFUSED_SHARE = 0.1;

/** One reader's refusal (a 5xx to RCPT TO), held until its pass ends. */
export interface HeldRefusal extends Required<BounceSettle> {
  email: string;
  slug: string;
}

export type HoldVerdict = { bounce: true } | { bounce: false; why: string };

/**
 * The rule that keeps a server's refusal from bouncing the list. A 5xx to RCPT TO says "this
 * address takes no mail" only when the same server, in the same pass, took mail for others: a
 * mis-set relay, an expired account or a provider's block refuses everyone alike. So a pass
 * holds its refusals (each delivery goes back to 'retry', the refusal recorded) and at its end:
 * - bounces them all when it ran to the end, delivered at least one message, and the refusals
 *   were fewer than 10 or at most 10 % of the recipients it tried;
 * - otherwise releases them: they stay 'retry' and a later pass asks again.
 * A server that refuses everyone therefore bounces nobody, over any number of passes; a real
 * dead address among working ones is bounced in the first pass that reaches it with the server
 * in good order. A crash mid-pass leaves the held rows as retries: it never bounces anyone.
 */
export class RefusalHold {
  private readonly held: HeldRefusal[] = [];

  hold(refusal: HeldRefusal): void {
    this.held.push(refusal);
  }

  get size(): number {
    return this.held.length;
  }

  /** What the pass's end does with its refusals, given how it went. */
  verdict(pass: { sent: number; aborted?: string | undefined }): HoldVerdict {
    const refused = this.held.length;
    if (pass.aborted) return { bounce: false, why: `the pass stopped early (${pass.aborted})` };
    if (pass.sent === 0) return { bounce: false, why: 'the server took no message in this pass' };
    if (refused >= REFUSALS_ALWAYS_TRUSTED && refused > MAX_REFUSED_SHARE * (pass.sent + refused)) {
      return {
        bounce: false,
        why: `${refused} of ${pass.sent + refused} recipients were refused, more than ${MAX_REFUSED_SHARE * 100} %: that points at the server`,
      };
    }
    return { bounce: true };
  }

  /** The held refusals, handed out once. */
  take(): HeldRefusal[] {
    return this.held.splice(0);
  }
}
