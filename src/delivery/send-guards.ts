import type { Mailer, SendError } from '../mailer/mailer.ts';

/** Real lists do not hold this many dead addresses in a row: the server is refusing everyone. */
const MAX_REFUSED_IN_A_ROW = 10;

/**
 * Tells a failure that concerns everyone from one reader's, so a server or configuration problem
 * stops the pass instead of bouncing or retrying the whole list: an unavailable server, too many
 * refused recipients in a row, too many dropped connections in a row.
 */
export class SendGuards {
  private refusedInARow = 0;
  private dropsInARow = 0;
  // One drop is a hiccup (a pool's connections may all go at once); more in a row than the pool
  // could explain means the server is in trouble.
  private readonly maxDrops: number;

  constructor(private readonly mailer: Pick<Mailer, 'concurrency' | 'describe'>) {
    this.maxDrops = Math.max(3, 2 * mailer.concurrency);
  }

  /** A message went out: whatever came before was about those readers, not the server. */
  sent(): void {
    this.refusedInARow = 0;
    this.dropsInARow = 0;
  }

  /** Why the pass must stop after this failure, if it must. */
  failed(error: SendError): string | undefined {
    if (error.kind === 'permanent') {
      this.dropsInARow = 0;
      this.refusedInARow++;
      return this.refusedInARow >= MAX_REFUSED_IN_A_ROW
        ? `${this.refusedInARow} recipients in a row were refused (${this.mailer.describe()}); last: ${error.response}. Check the server and NEWSLETTER_FROM before the next pass`
        : undefined;
    }
    this.refusedInARow = 0;
    this.dropsInARow = error.connection ? this.dropsInARow + 1 : 0;
    if (error.kind === 'unavailable') return `sending is unavailable (${this.mailer.describe()}): ${error.response}`;
    if (this.dropsInARow >= this.maxDrops) return `the SMTP server dropped ${this.dropsInARow} connections in a row (${this.mailer.describe()}); last: ${error.response}`;
    return undefined;
  }
}
