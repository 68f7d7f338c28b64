import type { BounceEventKind, BounceEventSource, SubscriberStatus } from '../store/schema.ts';

/** A tip delivery as a bounce sees it: whose it was and which tip. */
export interface BouncedDelivery {
  id: number;
  subscriberId: number;
  slug: string;
  messageId: string;
}

/** A confirmation, welcome or goodbye as a bounce sees it: whose it was. */
export interface BouncedSystemEmail {
  id: number;
  subscriberId: number;
  kind: string;
}

/** The reader a bounce is about. */
export interface BounceReader {
  id: number;
  emailNormalized: string;
  status: SubscriberStatus;
  confirmedAt: number | null;
}

export interface NewBounceEvent {
  subscriberId: number;
  deliveryId: number | null;
  kind: BounceEventKind;
  source: BounceEventSource;
  status: string | null;
  detail: string | null;
  eventKey: string;
  at: number;
}

/**
 * What the bounce rules need from the database, and nothing more. The Kysely implementation is
 * `src/store/bounces.ts` (it matches this shape without importing it).
 */
export interface BounceStore {
  delivery(id: number): Promise<BouncedDelivery | undefined>;
  deliveryByMessageId(messageId: string): Promise<BouncedDelivery | undefined>;
  /** The last tip sent to a reader at or before `at`: what an ESP event without our ids was about. */
  lastDelivery(subscriberId: number, at: number): Promise<BouncedDelivery | undefined>;
  systemEmail(id: number): Promise<BouncedSystemEmail | undefined>;
  systemEmailByMessageId(messageId: string): Promise<BouncedSystemEmail | undefined>;
  reader(id: number): Promise<BounceReader | undefined>;
  readerByEmail(normalized: string): Promise<BounceReader | undefined>;
  /** Records one event; false when its key was recorded before (the same report again). */
  record(event: NewBounceEvent): Promise<boolean>;
  /** Soft bounces since `since`, one per delivery (a report without one counts alone), after the last lifted bounce. */
  softBounces(subscriberId: number, since: number): Promise<number>;
  /**
   * The reader stops getting mail: `status` (bounced or complained) when they are pending,
   * active or paused, and the address hash suppressed with that reason. False when they had left already.
   */
  suppressReader(
    subscriberId: number,
    emailHash: string,
    status: 'bounced' | 'complained',
    at: number,
  ): Promise<boolean>;
}
