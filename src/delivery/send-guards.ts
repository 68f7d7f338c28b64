import type { Mailer, SendError } from '../mailer/mailer.ts';
import { withoutAddresses } from '../redact.ts';

/** Real lists do not hold this many dead addresses in a row: the server is refusing everyone. */
const MAX_REFUSED_IN_A_ROW = 10;

/**
 * Why a pass stopped early, as a short name for `stats` and `/metrics` (the text says the rest):
 * - `relay_unavailable`: the relay cannot be reached, or refuses the login or TLS;
 * - `relay_temporary`: the relay kept failing for now (421, dropped or timed-out connections);
 * - `relay_refused_sender`: the relay refused for a reason about the sender (5.7.x policy and
 *   block lists, 5.4.x quota, 5.3.x system; to a recipient, the message or the sender). One
 *   provider site refusing alone never gets here: only its site waits (site-refusals.ts);
 * - `recipients_refused`: ten refused recipients in a row;
 * - `database`, `shutdown`, `not_sent` (an email that cannot be rendered or written).
 */
export const STOP_CAUSES = [
  'relay_unavailable',
  'relay_temporary',
  'relay_refused_sender',
  'recipients_refused',
  'database',
  'shutdown',
  'not_sent',
] as const;
export type StopCause = (typeof STOP_CAUSES)[number];

export interface StopReason {
  cause: StopCause;
  /** One line for the operator: what happened and what to fix. */
  why: string;
}

/**
 * Tells a failure that concerns everyone from one reader's, so a relay or configuration problem
 * stops the pass instead of bouncing or retrying the whole list: a relay that is unavailable or
 * refuses for the sender's reasons (at once), too many refused recipients in a row, too many of
 * the relay's temporary failures in a row.
 */
export class SendGuards {
  private refusedInARow = 0;
  private relayInARow = 0;
  // One temporary relay failure is a hiccup (a pool's connections may all go at once, a relay
  // may close a connection after so many messages); more in a row than the pool explains means
  // the relay is not taking mail.
  private readonly maxRelayFailures: number;

  constructor(private readonly mailer: Pick<Mailer, 'concurrency' | 'describe'>) {
    this.maxRelayFailures = Math.max(3, 2 * mailer.concurrency);
  }

  /** A message went out: whatever came before was about those readers, not the server. */
  sent(): void {
    this.refusedInARow = 0;
    this.relayInARow = 0;
  }

  /** Why the pass must stop after this failure, if it must. */
  failed(error: SendError): StopReason | undefined {
    if (error.kind === 'permanent') {
      this.relayInARow = 0;
      this.refusedInARow++;
      return this.refusedInARow >= MAX_REFUSED_IN_A_ROW
        ? {
            cause: 'recipients_refused',
            why: `${this.refusedInARow} recipients in a row were refused (${this.mailer.describe()}); last: ${error.response}. Check the server and NEWSLETTER_FROM before the next pass`,
          }
        : undefined;
    }
    this.refusedInARow = 0;
    if (error.kind === 'unavailable') {
      // The relay's answer may name the reader it was about; the stop line is about the relay.
      const shown = withoutAddresses(error.about.advice ?? error.response);
      if (error.about.senderRefusal)
        return { cause: 'relay_refused_sender', why: `${shown} (${this.mailer.describe()})` };
      return {
        cause: error.response.startsWith('not sent:') ? 'not_sent' : 'relay_unavailable',
        why: `sending is unavailable (${this.mailer.describe()}): ${shown}`,
      };
    }
    this.relayInARow = error.kind === 'relay' ? this.relayInARow + 1 : 0;
    if (this.relayInARow >= this.maxRelayFailures) {
      return {
        cause: 'relay_temporary',
        why: `the relay is not taking mail for now: ${this.relayInARow} tries in a row failed (${this.mailer.describe()}); last: ${withoutAddresses(error.response)}. No reader's retries were used; the next pass tries again (if it lasts, check the relay)`,
      };
    }
    return undefined;
  }
}
