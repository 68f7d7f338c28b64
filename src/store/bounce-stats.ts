import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Bounces and complaints over some deliveries: counts, and rates where there is a denominator. */
export interface BounceFigures {
  /** Messages the SMTP server took (the ones a later bounce or complaint can be about). */
  delivered: number;
  /** Refused during SMTP (synchronous bounces) plus hard bounces reported later (DSN, webhook). */
  bounced: number;
  complaints: number;
  /** bounced / (delivered + refused during SMTP); null without mail. */
  bounceRate: number | null;
  /** complaints / delivered; null without mail. */
  complaintRate: number | null;
}

export interface BounceStats {
  tips: ({ slug: string; week: number } & BounceFigures)[];
  /** Deliveries sent and events received since `since`. */
  recent: BounceFigures;
}

const figures = (delivered: number, refused: number, laterBounces: number, complaints: number): BounceFigures => {
  const attempted = delivered + refused;
  const bounced = refused + laterBounces;
  return {
    delivered,
    bounced,
    complaints,
    bounceRate: attempted ? bounced / attempted : null,
    complaintRate: delivered ? complaints / delivered : null,
  };
};

/**
 * The list's health: per tip (a later bounce or complaint is put on the tip it was about) and for
 * deliveries sent and reports received since `since` (the last 30 days).
 */
export async function bounceStats(db: Kysely<Database>, since: number): Promise<BounceStats> {
  const ledger = await db
    .selectFrom('deliveries')
    .select([
      'tip_slug',
      (eb) => eb.fn.max('week').as('week'),
      sql<number>`sum(case when state = 'sent' then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when state = 'bounced' then 1 else 0 end)`.as('refused'),
    ])
    .groupBy('tip_slug')
    .execute();
  const later = await db
    .selectFrom('bounce_events as e')
    .innerJoin('deliveries as d', 'd.id', 'e.delivery_id')
    .select(['d.tip_slug', 'e.kind', sql<number>`count(distinct e.delivery_id)`.as('n')])
    .where('e.kind', 'in', ['hard', 'complaint'])
    .where('d.state', '=', 'sent')
    .groupBy(['d.tip_slug', 'e.kind'])
    .execute();
  const laterOf = (slug: string, kind: 'hard' | 'complaint') =>
    Number(later.find((r) => r.tip_slug === slug && r.kind === kind)?.n ?? 0);
  const tips = ledger
    .map((r) => ({
      slug: r.tip_slug,
      week: Number(r.week),
      ...figures(
        Number(r.delivered ?? 0),
        Number(r.refused ?? 0),
        laterOf(r.tip_slug, 'hard'),
        laterOf(r.tip_slug, 'complaint'),
      ),
    }))
    .sort((a, b) => a.week - b.week || a.slug.localeCompare(b.slug));

  const sent = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'sent')
    .where('sent_at', '>=', since)
    .executeTakeFirst();
  const refused = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'bounced')
    .where('created_at', '>=', since)
    .executeTakeFirst();
  const recentEvents = await db
    .selectFrom('bounce_events')
    .select(['kind', sql<number>`count(distinct subscriber_id)`.as('n')])
    .where('received_at', '>=', since)
    .where('kind', 'in', ['hard', 'complaint'])
    .groupBy('kind')
    .execute();
  const recentOf = (kind: string) => Number(recentEvents.find((r) => r.kind === kind)?.n ?? 0);
  return {
    tips,
    recent: figures(Number(sent?.n ?? 0), Number(refused?.n ?? 0), recentOf('hard'), recentOf('complaint')),
  };
}
