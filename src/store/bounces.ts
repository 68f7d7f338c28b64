import { sql, type Kysely } from 'kysely';
import type { Database, BounceEventKind, BounceEventSource, SubscriberStatus } from './schema.ts';

interface DeliveryRow {
  id: number;
  subscriberId: number;
  slug: string;
  messageId: string;
}

interface SystemEmailRow {
  id: number;
  subscriberId: number;
  kind: string;
}

interface ReaderRow {
  id: number;
  emailNormalized: string;
  status: SubscriberStatus;
  confirmedAt: number | null;
}

/** The bounce rules' view of the database (see src/bounces/bounce-store.ts), on SQLite and PostgreSQL alike. */
export function kyselyBounceStore(db: Kysely<Database>) {
  return {
    ...bounceLookups(db),
    ...bounceEvents(db),
    suppressReader: (subscriberId: number, emailHash: string, status: 'bounced' | 'complained', at: number) =>
      suppressReader(db, subscriberId, emailHash, status, at),
    ...webhookTokens(db),
  };
}

/** Finding what a bounce is about: the delivery or system email it quotes, and its reader. */
function bounceLookups(db: Kysely<Database>) {
  const deliveries = () =>
    db
      .selectFrom('deliveries')
      .select(['id', 'subscriber_id as subscriberId', 'tip_slug as slug', 'message_id as messageId']);
  const systemEmails = () => db.selectFrom('system_emails').select(['id', 'subscriber_id as subscriberId', 'kind']);
  const readers = () =>
    db
      .selectFrom('subscribers')
      .select(['id', 'email_normalized as emailNormalized', 'status', 'confirmed_at as confirmedAt']);
  return {
    delivery: (id: number): Promise<DeliveryRow | undefined> => deliveries().where('id', '=', id).executeTakeFirst(),
    deliveryByMessageId: (messageId: string): Promise<DeliveryRow | undefined> =>
      deliveries().where('message_id', '=', messageId).executeTakeFirst(),
    lastDelivery: (subscriberId: number, at: number): Promise<DeliveryRow | undefined> =>
      deliveries()
        .where('subscriber_id', '=', subscriberId)
        .where('sent_at', '<=', at)
        .orderBy('sent_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
    systemEmail: (id: number): Promise<SystemEmailRow | undefined> =>
      systemEmails().where('id', '=', id).executeTakeFirst(),
    systemEmailByMessageId: (messageId: string): Promise<SystemEmailRow | undefined> =>
      systemEmails().where('message_id', '=', messageId).executeTakeFirst(),
    reader: (id: number): Promise<ReaderRow | undefined> => readers().where('id', '=', id).executeTakeFirst(),
    readerByEmail: (normalized: string): Promise<ReaderRow | undefined> =>
      readers().where('email_normalized', '=', normalized).executeTakeFirst(),
  };
}

/** The bounce events of each reader: recorded once each (by their key), soft ones counted. */
function bounceEvents(db: Kysely<Database>) {
  return {
    async record(e: {
      subscriberId: number;
      deliveryId: number | null;
      kind: BounceEventKind;
      source: BounceEventSource;
      status: string | null;
      detail: string | null;
      eventKey: string;
      at: number;
    }): Promise<boolean> {
      const row = await db
        .insertInto('bounce_events')
        .values({
          subscriber_id: e.subscriberId,
          delivery_id: e.deliveryId,
          kind: e.kind,
          source: e.source,
          status: e.status?.slice(0, 100) ?? null,
          detail: e.detail?.slice(0, 1000) ?? null,
          event_key: e.eventKey,
          received_at: e.at,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async softBounces(subscriberId: number, since: number): Promise<number> {
      const lifted = await db
        .selectFrom('bounce_events')
        .select((eb) => eb.fn.max('received_at').as('at'))
        .where('subscriber_id', '=', subscriberId)
        .where('kind', '=', 'lifted')
        .executeTakeFirst();
      const from = Math.max(since, Number(lifted?.at ?? 0));
      const row = await db
        .selectFrom('bounce_events')
        .select(sql<number>`count(distinct coalesce(delivery_id, -id))`.as('n'))
        .where('subscriber_id', '=', subscriberId)
        .where('kind', '=', 'soft')
        .where('received_at', '>', from)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

/** The reader bounced or complained: their status changes (if still on the list) and the address is suppressed. */
function suppressReader(
  db: Kysely<Database>,
  subscriberId: number,
  emailHash: string,
  status: 'bounced' | 'complained',
  at: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('subscribers')
      .set({ status, status_changed_at: at, next_send_at: null })
      .where('id', '=', subscriberId)
      .where('status', 'in', ['pending', 'active', 'paused'])
      .executeTakeFirst();
    await trx
      .insertInto('suppressions')
      .values({ email_hash: emailHash, reason: status, created_at: at })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return Number(r.numUpdatedRows) > 0;
  });
}

/** The webhook tokens seen lately, so a provider's retry of one event is applied once. */
function webhookTokens(db: Kysely<Database>) {
  return {
    async firstSight(token: string, at: number, forgetBefore: number): Promise<boolean> {
      await db.deleteFrom('webhook_tokens').where('seen_at', '<', forgetBefore).execute();
      const row = await db
        .insertInto('webhook_tokens')
        .values({ token, seen_at: at })
        .onConflict((oc) => oc.column('token').doNothing())
        .returning('token')
        .executeTakeFirst();
      return row !== undefined;
    },
    async forget(token: string): Promise<void> {
      await db.deleteFrom('webhook_tokens').where('token', '=', token).execute();
    },
  };
}
