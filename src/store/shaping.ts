import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { engineOf } from './engine.ts';
import type { Database } from './schema.ts';

/** A site's suspension as every sender sees it (`site_state`); `level` -1: never suspended. */
export interface SiteSuspension {
  site: string;
  /** Until when the site gets nothing (ms since the epoch); in the past: not suspended. */
  until: number;
  /** Step of the back-off ladder reached (0 = the first). */
  level: number;
  /** Step of the refusal ladder reached (delivery/site-refusals.ts); -1: never suspended for a refusal. */
  refusalLevel: number;
  /** The answer that caused it, without addresses. */
  reason: string;
  at: number;
}

/** One cached MX answer (see delivery/site-resolver.ts). */
export interface MxEntry {
  domain: string;
  site: string;
  mx: string;
  expiresAt: number;
}

/** A site as `stats` and `/metrics` show it: its suspension (if it ever had one) and counters. */
export interface SiteReport {
  site: string;
  suspendedUntil: number;
  level: number;
  refusalLevel: number;
  reason: string;
  suspendedAt: number;
  sent: number;
  deferred: number;
}

/** The MX answers every sender shares: read only while fresh, written over when looked up again. */
export function kyselyMxCache(db: Kysely<Database>) {
  return {
    async read(domains: readonly string[], now: number): Promise<Map<string, MxEntry>> {
      const out = new Map<string, MxEntry>();
      for (let i = 0; i < domains.length; i += 500) {
        const rows = await db
          .selectFrom('mx_cache')
          .selectAll()
          .where('domain', 'in', domains.slice(i, i + 500))
          .where('expires_at', '>', now)
          .execute();
        for (const r of rows)
          out.set(r.domain, { domain: r.domain, site: r.site, mx: r.mx, expiresAt: Number(r.expires_at) });
      }
      return out;
    },
    async write(entries: readonly MxEntry[]): Promise<void> {
      for (let i = 0; i < entries.length; i += 500) {
        await db
          .insertInto('mx_cache')
          .values(
            entries
              .slice(i, i + 500)
              .map((e) => ({ domain: e.domain, site: e.site, mx: e.mx.slice(0, 1000), expires_at: e.expiresAt })),
          )
          .onConflict((oc) =>
            oc.column('domain').doUpdateSet((eb) => ({
              site: eb.ref('excluded.site'),
              mx: eb.ref('excluded.mx'),
              expires_at: eb.ref('excluded.expires_at'),
            })),
          )
          .execute();
      }
    },
  };
}

/** A `site_state` row as a suspension. */
const toSuspension = (r: {
  site: string;
  suspended_until: number;
  level: number;
  reason: string;
  suspended_at: number;
  refusal_level: number;
}): SiteSuspension => ({
  site: r.site,
  until: Number(r.suspended_until),
  level: Number(r.level),
  refusalLevel: Number(r.refusal_level),
  reason: r.reason,
  at: Number(r.suspended_at),
});

/** The sites' suspensions and counters in `site_state`, shared by every sender. */
export function kyselySiteStates(db: Kysely<Database>) {
  const postgres = engineOf(db) === 'postgres';
  return {
    /** Every site suspended at `now` or later. */
    async suspendedAt(now: number): Promise<SiteSuspension[]> {
      const rows = await db.selectFrom('site_state').selectAll().where('suspended_until', '>', now).execute();
      return rows.map(toSuspension);
    },
    /**
     * The site's next suspension, decided from its last one under a row lock (PostgreSQL) or the
     * write lock (SQLite), so two senders meeting the same deferral take one step, not two.
     */
    async suspend(
      site: string,
      decide: (last: SiteSuspension | undefined) => SiteSuspension,
      counts: { deferral: boolean } = { deferral: true },
    ): Promise<SiteSuspension> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('site_state')
          .values({ site })
          .onConflict((oc) => oc.column('site').doNothing())
          .execute();
        let read = trx.selectFrom('site_state').selectAll().where('site', '=', site);
        if (postgres) read = read.forUpdate();
        const row = await read.executeTakeFirstOrThrow();
        const last = Number(row.level) >= 0 || Number(row.refusal_level) >= 0 ? toSuspension(row) : undefined;
        const next = decide(last);
        await trx
          .updateTable('site_state')
          .set({
            suspended_until: next.until,
            level: next.level,
            reason: next.reason.slice(0, 1000),
            suspended_at: next.at,
            refusal_level: next.refusalLevel,
            deferred: counts.deferral ? sql<number>`deferred + 1` : sql<number>`deferred`,
          })
          .where('site', '=', site)
          .execute();
        return next;
      });
    },
    /**
     * Puts a site back as it was before `made` (a suspension this pass set and now takes back),
     * unless another sender has changed it since.
     */
    async restore(made: SiteSuspension, before: SiteSuspension | undefined): Promise<void> {
      await db
        .updateTable('site_state')
        .set({
          suspended_until: before?.until ?? 0,
          level: before?.level ?? -1,
          refusal_level: before?.refusalLevel ?? -1,
          reason: before?.reason ?? '',
          suspended_at: before?.at ?? 0,
        })
        .where('site', '=', made.site)
        .where('suspended_at', '=', made.at)
        .where('suspended_until', '=', made.until)
        .where('refusal_level', '=', made.refusalLevel)
        .execute();
    },
    /** Adds a pass's sent and deferred counts per site. */
    async count(counts: readonly { site: string; sent: number; deferred: number }[]): Promise<void> {
      for (const c of counts) {
        await db
          .insertInto('site_state')
          .values({ site: c.site, sent: c.sent, deferred: c.deferred })
          .onConflict((oc) =>
            oc.column('site').doUpdateSet((eb) => ({
              sent: eb('site_state.sent', '+', eb.ref('excluded.sent')),
              deferred: eb('site_state.deferred', '+', eb.ref('excluded.deferred')),
            })),
          )
          .execute();
      }
    },
  };
}

/** Every site's state, by name, for `stats` and `/metrics`. */
export async function readSites(db: Kysely<Database>): Promise<SiteReport[]> {
  const rows = await db.selectFrom('site_state').selectAll().orderBy('site').execute();
  return rows.map((r) => ({
    site: r.site,
    suspendedUntil: Number(r.suspended_until),
    level: Number(r.level),
    refusalLevel: Number(r.refusal_level),
    reason: r.reason,
    suspendedAt: Number(r.suspended_at),
    sent: Number(r.sent),
    deferred: Number(r.deferred),
  }));
}

/** See postgresSiteBuckets: a theoretical arrival time this far beyond a bucket's reach is not real traffic. */
export const STALE_AHEAD_MS = 10 * 60_000;

/**
 * The sites' token buckets on PostgreSQL, one row per site: GCRA (the generic cell rate
 * algorithm) keeps one number, the bucket's theoretical arrival time `tat`. A message may go when
 * `tat - tolerance <= now`; taking it moves `tat` to `max(tat, now) + interval`. The take is one
 * conditional `UPDATE … RETURNING`, atomic across every sender; only a refusal reads `tat` again
 * to say how long to wait.
 */
export function postgresSiteBuckets(db: Kysely<Database>) {
  const ensured = new Set<string>();
  return {
    /** 0 when a message to `site` may go now (and is counted), else how many ms to wait first. */
    async take(site: string, at: number, interval: number, tolerance: number): Promise<number> {
      // Whole milliseconds: the column is a bigint (a limit of 1,000,000 a minute is 0.06 ms apart).
      const now = Math.round(at);
      const intervalMs = Math.max(1, Math.round(interval));
      const toleranceMs = Math.round(tolerance);
      if (!ensured.has(site)) {
        await db
          .insertInto('site_buckets')
          .values({ site, tat: 0 })
          .onConflict((oc) => oc.column('site').doNothing())
          .execute();
        ensured.add(site);
      }
      // A bucket far ahead of now was set by a pass run at another (simulated) time: start it again.
      const stale = now + toleranceMs + intervalMs + STALE_AHEAD_MS;
      const granted = await db
        .updateTable('site_buckets')
        .set({
          tat: sql<number>`(case when tat > ${stale}::bigint then ${now}::bigint else greatest(tat, ${now}::bigint) end) + ${intervalMs}::bigint`,
        })
        .where('site', '=', site)
        .where((eb) => eb.or([eb('tat', '<=', now + toleranceMs), eb('tat', '>', stale)]))
        .returning('tat')
        .executeTakeFirst();
      if (granted) return 0;
      const row = await db.selectFrom('site_buckets').select('tat').where('site', '=', site).executeTakeFirst();
      return Math.max(1, Number(row?.tat ?? now) - toleranceMs - now);
    },
  };
}

/** The fleet's new-tip count per warm-up day (`warmup_days`). */
export function kyselyWarmupDays(db: Kysely<Database>) {
  const postgres = engineOf(db) === 'postgres';
  return {
    /** Takes up to `wanted` of day `day`'s `cap`; how many were granted (0 once the cap is used). */
    async reserve(day: number, wanted: number, cap: number): Promise<number> {
      if (wanted <= 0) return 0;
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('warmup_days')
          .values({ day, used: 0 })
          .onConflict((oc) => oc.column('day').doNothing())
          .execute();
        let read = trx.selectFrom('warmup_days').select('used').where('day', '=', day);
        if (postgres) read = read.forUpdate();
        const used = Number((await read.executeTakeFirstOrThrow()).used);
        const granted = Math.max(0, Math.min(wanted, cap - used));
        if (granted > 0)
          await trx
            .updateTable('warmup_days')
            .set({ used: used + granted })
            .where('day', '=', day)
            .execute();
        return granted;
      });
    },
    /** Gives back what was reserved and not sent (a claim another sender won). */
    async release(day: number, count: number): Promise<void> {
      if (count <= 0) return;
      await db
        .updateTable('warmup_days')
        .set({ used: sql<number>`case when used > ${count} then used - ${count} else 0 end` })
        .where('day', '=', day)
        .execute();
    },
    async listSize(): Promise<number> {
      const row = await db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async used(day: number): Promise<number> {
      const row = await db.selectFrom('warmup_days').select('used').where('day', '=', day).executeTakeFirst();
      return Number(row?.used ?? 0);
    },
  };
}

/** The database's clock in ms: every sender judges a lease by it, whatever its own machine's says. */
const DB_NOW = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * A site's connection limit for the whole fleet on PostgreSQL (`site_leases`, one row per slot):
 * a sender takes a free or expired slot with one `UPDATE … FROM (SELECT … FOR UPDATE SKIP
 * LOCKED)` (two senders never get the same slot, and neither waits on the other's lock), holds
 * it for `leaseMs` of the database's clock, renewed every third of that while any slot is held,
 * and clears it when the message is done. A sender that crashes stops renewing: its slots are
 * free again once they expire.
 */
export function postgresSiteLeases(db: Kysely<Database>, options: { leaseMs: number; holder?: string }) {
  const { leaseMs } = options;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ensured = new Map<string, number>();
  let held = 0;
  let renewing: NodeJS.Timeout | undefined;
  const renew = async () => {
    await db
      .updateTable('site_leases')
      .set({ expires_at: sql<number>`${DB_NOW} + ${leaseMs}::bigint` })
      .where('holder', '=', holder)
      .execute();
  };
  const holding = (delta: number) => {
    held = Math.max(0, held + delta);
    if (held > 0 && !renewing) {
      // A failed renewal is tried again at the next tick; the lease lasts three ticks.
      renewing = setInterval(() => void renew().catch(() => undefined), Math.max(100, leaseMs / 3));
      renewing.unref();
    } else if (held === 0 && renewing) {
      clearInterval(renewing);
      renewing = undefined;
    }
  };
  return {
    holder,
    leaseMs,
    /** A slot of `site` (of `limit`) now held by this sender, or undefined when all are held. */
    async take(site: string, limit: number): Promise<number | undefined> {
      if ((ensured.get(site) ?? 0) < limit) {
        await db
          .insertInto('site_leases')
          .values(Array.from({ length: limit }, (_, slot) => ({ site, slot, holder: null })))
          .onConflict((oc) => oc.columns(['site', 'slot']).doNothing())
          .execute();
        ensured.set(site, limit);
      }
      const { rows } = await sql<{ slot: number }>`
        update site_leases l set holder = ${holder}, expires_at = ${DB_NOW} + ${leaseMs}::bigint
        from (
          select site, slot from site_leases
          where site = ${site} and slot < ${limit} and (holder is null or expires_at <= ${DB_NOW})
          order by slot limit 1 for update skip locked
        ) free
        where l.site = free.site and l.slot = free.slot
        returning l.slot`.execute(db);
      const slot = rows[0]?.slot;
      // Made again at the next ask: the table is unlogged, so a database crash or failover empties it.
      if (slot === undefined) ensured.delete(site);
      if (slot === undefined) return undefined;
      holding(1);
      return Number(slot);
    },
    /** Frees the slot (if this sender still holds it: an expired one may be another's by now). */
    async release(site: string, slot: number): Promise<void> {
      holding(-1);
      await db
        .updateTable('site_leases')
        .set({ holder: null, expires_at: 0 })
        .where('site', '=', site)
        .where('slot', '=', slot)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
