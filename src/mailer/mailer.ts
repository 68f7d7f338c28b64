/**
 * The seam between the pipeline and a mail transport. The dispatcher and the site see this
 * interface only, so an ESP's HTTP API is one more implementation, not a rewrite.
 */
export interface OutgoingMessage {
  to: string;
  toName?: string | null;
  /** `Name <address>`. */
  from: string;
  subject: string;
  html: string;
  text: string;
  /** `html` and `text` already in quoted-printable (see FinishedEmail): sent as they are. */
  encoded?: { html: string; text: string };
  /** `<id@domain>`; stable for (subscriber, email) so a resend after a crash is recognisable. */
  messageId: string;
  /** The signed unsubscribe link: becomes List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
  /** `<list-id>` for List-Id. */
  listId?: string;
  /** The envelope sender (MAIL FROM), where bounces go; unset: the From address. */
  returnPath?: string;
  /** Further headers (never credentials). */
  headers?: Record<string, string>;
}

export interface SendResult {
  /** The server's answer (`250 2.0.0 OK ...`) or the outbox file written. */
  response: string;
}

export type SendFailureKind =
  /** 4xx, a dropped connection, a timeout: try again later. */
  | 'temporary'
  /** 5xx for this recipient: the address does not take mail. */
  | 'permanent'
  /** The server cannot be reached or refuses everyone (down, auth failure): stop the pass. */
  | 'unavailable';

export class SendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    readonly response: string,
    /** The connection failed (dropped, reset, timed out) rather than the server answering. Several in a row mean the server is in trouble. */
    readonly connection = false,
  ) {
    super(response);
    this.name = 'SendError';
  }
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Parallel sends it can carry (the SMTP pool size); the dispatcher keeps this many in flight. */
  readonly concurrency: number;
  /** One line for start-up logs, without credentials. */
  describe(): string;
  close(): Promise<void>;
}
