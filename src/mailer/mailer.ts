import type { EncodedPart } from './quoted-printable.ts';
/**
 * The seam between the pipeline and a mail transport. The dispatcher and the site see this
 * interface only, so an ESP's HTTP API is one more implementation, not a rewrite.
 */
/** One message to one reader: its envelope and headers, and one of the two body forms. */
export type OutgoingMessage = MessageHead & (PlainBody | EncodedBody);

export interface MessageHead {
  to: string;
  toName?: string | null;
  /** `Name <address>`. */
  from: string;
  subject: string;
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

/** The HTML and text as a reader sees them: the transport encodes them. */
export interface PlainBody {
  html: string;
  text: string;
  encoded?: never;
}

/**
 * The HTML and text already encoded for the wire (7bit, or quoted-printable with CRLF lines of
 * at most 76; see quoted-printable.ts): sent as they are, so no message is encoded twice.
 */
export interface EncodedBody {
  encoded: { html: EncodedPart; text: EncodedPart };
  html?: never;
  text?: never;
}

export interface SendResult {
  /** The server's answer (`250 2.0.0 OK ...`) or the outbox file written. */
  response: string;
}

/** Whose failure it is decides what happens to the reader (see smtp-status.ts for the codes). */
export type SendFailureKind =
  /** The reader's mailbox cannot take mail for now (4.2.2 full, greylisted): tried again, for up to 72 hours. */
  | 'temporary'
  /** The reader's address takes no mail (5.1.1, 5.2.1): a bounce, under the refusal rule. */
  | 'permanent'
  /**
   * The relay cannot be reached, or refuses for a reason about the sender (login, TLS, 5.7.x
   * policy and block lists, 5.4.x quota, 5.3.x system): stop the pass; nobody is bounced and no
   * reader's retries are used. With shaping, one provider site refusing alone only suspends
   * that site (delivery/site-refusals.ts).
   */
  | 'unavailable'
  /**
   * The relay cannot take mail just now (421, a dropped or timed-out connection, 4.x.x about the
   * sender): tried again without using the reader's retries; several in a row stop the pass.
   */
  | 'relay';

export class SendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    readonly response: string,
    /** The connection failed (refused, dropped, reset, timed out, 421) rather than the server answering about this message. */
    readonly connection = false,
    /**
     * For the operator, when the failure stops a pass: `advice`, what the answer means and what
     * to fix; `senderRefusal`, the relay answered and refused for a reason about the sender;
     * `recipient`, the answer came to one recipient (RCPT TO, or DATA: one recipient a message).
     */
    readonly about: { advice?: string; senderRefusal?: boolean; recipient?: boolean } = {},
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
