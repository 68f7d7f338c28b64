import { setTimeout as sleep } from 'node:timers/promises';
import { withoutAddresses } from '../redact.ts';
import { nextSuspension, type SiteSuspension } from './deferral-reflex.ts';
import type { SiteResolver } from './site-resolver.ts';
import { nextRefusalSuspension } from './site-refusals.ts';

/** A site's limits for the whole fleet; unset: none. */
export interface SiteLimit {
  /** Messages a minute to the site, all senders together. */
  perMinute?: number | undefined;
  /**
   * Messages in flight to the site at once, all senders together: leased fleet-wide on PostgreSQL
   * (SiteLeases); on SQLite (one machine) each live sender in it keeps its share in memory.
   */
  connections?: number | undefined;
}

/**
 * Starting points for the big providers (the operator's `sending.sites` in series.yml replaces
 * them site by site; `default` applies to every other site). Conservative on purpose: a new or
 * small sender stays well under what these providers take from a reputable one.
 */
export const DEFAULT_SITE_LIMITS: Readonly<Record<string, SiteLimit>> = {
  google: { perMinute: 600, connections: 10 },
  microsoft: { perMinute: 300, connections: 5 },
  yahoo: { perMinute: 300, connections: 5 },
  apple: { perMinute: 300, connections: 5 },
};

/** A token bucket per site: 0 when a message may go now (and is counted), else ms to wait. */
export interface SiteBuckets {
  take(site: string, now: number, intervalMs: number, toleranceMs: number): Promise<number>;
}

/**
 * A site's connection slots for the whole fleet (PostgreSQL: `postgresSiteLeases` in
 * store/shaping.ts): `take` gives a slot now held by this sender, or undefined when all
 * `limit` are held; `release` frees it.
 */
export interface SiteLeases {
  take(site: string, limit: number): Promise<number | undefined>;
  release(site: string, slot: number): Promise<void>;
}

/** Where the sites' shared state lives (`src/store/shaping.ts`). */
export interface SiteStateStore {
  suspendedAt(now: number): Promise<SiteSuspension[]>;
  suspend(
    site: string,
    decide: (last: SiteSuspension | undefined) => SiteSuspension,
    counts?: { deferral: boolean },
  ): Promise<SiteSuspension>;
  restore(made: SiteSuspension, before: SiteSuspension | undefined): Promise<void>;
  count(counts: readonly { site: string; sent: number; deferred: number }[]): Promise<void>;
}

/** What the composition root gives every pass: made once per process. */
export interface ShapingParts {
  sites: SiteResolver;
  states: SiteStateStore;
  /** Shared through the database (PostgreSQL) or this process's memory (SQLite). */
  buckets: SiteBuckets;
  /** Fleet-wide connection slots (PostgreSQL); unset: each process keeps its share in memory (SQLite). */
  leases?: SiteLeases | undefined;
  /** Per site, plus `default`; merged over DEFAULT_SITE_LIMITS. */
  limits: Readonly<Record<string, SiteLimit>>;
}

/**
 * GCRA in this process's memory (SQLite: one machine, usually one sender; the file the
 * dispatcher syncs every commit to takes no write per message). The same rule as the
 * PostgreSQL bucket (store/shaping.ts).
 */
export function memoryBuckets(): SiteBuckets {
  const tat = new Map<string, number>();
  return {
    take(site, now, intervalMs, toleranceMs) {
      let t = tat.get(site) ?? 0;
      // A bucket far ahead was set by a pass run at another (simulated) time: start it again.
      if (t > now + toleranceMs + intervalMs + STALE_AHEAD_MS) t = now;
      if (t - toleranceMs > now) return Promise.resolve(Math.max(1, t - toleranceMs - now));
      tat.set(site, Math.max(t, now) + intervalMs);
      return Promise.resolve(0);
    },
  };
}

/** See memoryBuckets: a theoretical arrival time this far beyond a bucket's reach is not real traffic. */
export const STALE_AHEAD_MS = 10 * 60_000;
/** A pass whose start instant is this close to the machine's clock runs at the real time. */
const REAL_TIME_SLACK_MS = 10 * 60_000;
/** How often a pass re-reads the suspensions other senders may have set. */
const REFRESH_MS = 2_000;
/** The longest single sleep while waiting for a site: a suspension or a stop is noticed in time. */
const MAX_NAP_MS = 1_000;
/** Waiting for a site's leased connection: asked again after 20 ms, doubling to 250 ms (or at once when this process frees one). */
const FIRST_LEASE_NAP_MS = 20;
const MAX_LEASE_NAP_MS = 250;

/** The GCRA interval and burst tolerance of a per-minute limit: bursts of about a second's worth. */
export function bucketOf(perMinute: number): { intervalMs: number; toleranceMs: number } {
  const intervalMs = 60_000 / perMinute;
  const burst = Math.max(1, Math.round(perMinute / 60));
  return { intervalMs, toleranceMs: intervalMs * (burst - 1) };
}

/** One site's figures in a pass's summary. */
export interface SitePassFigures {
  sent: number;
  /** Rate deferrals met (each handed back, not charged to the reader). */
  deferred: number;
  /** Policy refusals met (site-refusals.ts: handed back, nobody bounced or charged). */
  refused?: number;
  /** Readers left due because the site was suspended (they keep their place). */
  waiting: number;
  /** Set when the site is suspended: until when and why. */
  suspendedUntil?: number;
  why?: string;
}

/**
 * One pass's view of the sites: which are suspended (re-read every 2 s, so another sender's
 * deferral reaches this one), each site's connections (leased fleet-wide, or this process's
 * share) and token bucket, and its figures.
 */
export class PassShaper {
  private suspended = new Map<string, SiteSuspension>();
  private readAt = -Infinity;
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();
  /** Lease releases under way: the pass's end waits for them, so its slots are free for the others at once. */
  private readonly releasing = new Set<Promise<void>>();
  /** This pass's leases not yet given back. */
  private readonly leased = new Set<() => void>();
  readonly figures = new Map<string, SitePassFigures>();
  /** The refusal suspensions this pass set, with the state before each (taken back if the pass stops). */
  private readonly refusals: Promise<{ made: SiteSuspension; before: SiteSuspension | undefined } | undefined>[] = [];
  private readonly started = performance.now();
  private readonly realTime: boolean;

  constructor(
    private readonly parts: ShapingParts,
    /** The pass's clock (claim stamps; fixed in tests): suspensions are judged by it. */
    private readonly clock: () => number,
    /** Live senders: each gets its share of a site's connections. */
    private readonly live: () => number,
    /** The pass's start instant: buckets run on it plus the real time elapsed, never on a fixed clock. */
    private readonly now: number,
    /** The machine's clock: the buckets' clock when the pass runs at the real time (see bucketNow). */
    private readonly wall: () => number = Date.now,
  ) {
    this.realTime = Math.abs(now - wall()) < REAL_TIME_SLACK_MS;
  }

  /** The site of each domain (see SiteResolver). */
  sitesOf(domains: Iterable<string>): Promise<Map<string, string>> {
    return this.parts.sites.sitesOf(domains, this.now);
  }

  /** Re-reads the suspensions when the last read is older than 2 s; a database error keeps the last. */
  async refresh(): Promise<void> {
    const t = performance.now();
    if (t - this.readAt < REFRESH_MS) return;
    this.readAt = t;
    try {
      const rows = await this.parts.states.suspendedAt(this.clock());
      for (const s of rows) if ((this.suspended.get(s.site)?.until ?? 0) < s.until) this.suspended.set(s.site, s);
    } catch {
      // The next read tries again; the pass's own database errors surface elsewhere.
    }
  }

  /** The site's suspension, if it is suspended now. */
  suspension(site: string): SiteSuspension | undefined {
    const s = this.suspended.get(site);
    return s && s.until > this.clock() ? s : undefined;
  }

  /** A reader of a suspended site left due: it keeps its place for a later pass. */
  waiting(site: string): void {
    // A message handed back because the pass stopped waits for that, not for its site.
    if (this.suspension(site)) this.fig(site).waiting++;
  }

  /**
   * Waits for the site's share of connections and a token from its bucket; `release` when the
   * message is done. Undefined when the site was suspended (or the pass stopped) meanwhile: the
   * caller hands the message back untouched.
   */
  async acquire(site: string, stopped: () => boolean): Promise<(() => void) | undefined> {
    const limit = this.limitOf(site);
    let release = () => {};
    if (limit.connections !== undefined) {
      const held = await this.connection(site, limit.connections, stopped);
      if (!held) return undefined;
      release = held;
    }
    try {
      return await this.token(site, limit, stopped, release);
    } catch (e) {
      // A bucket the database could not give: the connection goes back, not kept for ever.
      release();
      throw e;
    }
  }

  private async token(
    site: string,
    limit: SiteLimit,
    stopped: () => boolean,
    release: () => void,
  ): Promise<(() => void) | undefined> {
    for (;;) {
      if (stopped() || this.suspension(site)) {
        release();
        return undefined;
      }
      if (limit.perMinute === undefined) return release;
      const { intervalMs, toleranceMs } = bucketOf(limit.perMinute);
      const wait = await this.parts.buckets.take(site, this.bucketNow(), intervalMs, toleranceMs);
      if (wait === 0) return release;
      await sleep(Math.min(wait, MAX_NAP_MS));
      await this.refresh();
    }
  }

  sent(site: string): void {
    this.fig(site).sent++;
  }

  /**
   * A rate signal from `site` at `at`: the site is suspended for the next step of the back-off
   * (decided once for every sender, in the database), and the figures say until when and why.
   */
  async defer(site: string, at: number, response: string): Promise<SiteSuspension> {
    const reason = withoutAddresses(response).slice(0, 300);
    const local = (last: SiteSuspension | undefined) => nextSuspension(last, site, at, reason);
    let s: SiteSuspension;
    try {
      s = await this.parts.states.suspend(site, local);
    } catch {
      // A database that cannot record it still suspends the site for this pass.
      s = local(this.suspended.get(site));
    }
    this.suspended.set(site, s);
    const f = this.fig(site);
    f.deferred++;
    f.suspendedUntil = s.until;
    f.why = s.reason;
    return s;
  }

  /**
   * A provider's policy refusal (site-refusals.ts): the site is suspended for the next step of
   * the refusal ladder (decided once for every sender, in the database).
   */
  async refuse(site: string, at: number, response: string): Promise<SiteSuspension> {
    const reason = `refused: ${withoutAddresses(response).slice(0, 290)}`;
    let before: SiteSuspension | undefined;
    const decide = (last: SiteSuspension | undefined) => {
      before = last;
      return nextRefusalSuspension(last, site, at, reason);
    };
    const write = this.parts.states.suspend(site, decide, { deferral: false }).then(
      (made) => ({ made, before }),
      // A database that cannot record it still suspends the site for this pass.
      () => undefined,
    );
    this.refusals.push(write);
    const s = (await write)?.made ?? decide(this.suspended.get(site));
    this.suspended.set(site, s);
    const f = this.fig(site);
    f.refused = (f.refused ?? 0) + 1;
    f.suspendedUntil = s.until;
    f.why = s.reason;
    return s;
  }

  /**
   * The pass stops after all (several sites refused alike: the relay's or our setup's fault):
   * the refusal suspensions it set are taken back, so the sites' readers go with everyone else
   * once the fault is fixed.
   */
  async liftRefusals(): Promise<void> {
    for (const write of this.refusals.splice(0)) {
      const r = await write;
      if (!r || r.made === r.before) continue;
      await this.parts.states.restore(r.made, r.before).catch(() => undefined);
      if (r.before) this.suspended.set(r.made.site, r.before);
      else this.suspended.delete(r.made.site);
      const f = this.fig(r.made.site);
      delete f.suspendedUntil;
      delete f.why;
      // Its readers handed back meanwhile wait for the pass's stop, said in its own line.
      f.waiting = 0;
    }
  }

  /** Adds the pass's per-site counts to the database's (for `stats` and `/metrics`). */
  async flush(): Promise<void> {
    // A lease still held at the pass's end (a message whose release was missed) goes back now:
    // the process's renewals would otherwise keep it for as long as the process lives.
    for (const release of [...this.leased]) release();
    await Promise.allSettled([...this.releasing]);
    const counts = [...this.figures]
      .map(([site, f]) => ({ site, sent: f.sent, deferred: 0 }))
      .filter((c) => c.sent > 0);
    if (counts.length > 0) await this.parts.states.count(counts).catch(() => undefined);
  }

  private fig(site: string): SitePassFigures {
    let f = this.figures.get(site);
    if (!f) this.figures.set(site, (f = { sent: 0, deferred: 0, waiting: 0 }));
    return f;
  }

  private limitOf(site: string): SiteLimit {
    const { limits } = this.parts;
    return limits[site] ?? DEFAULT_SITE_LIMITS[site] ?? limits.default ?? {};
  }

  /**
   * The buckets' clock. A pass at the real time uses the machine's clock, shared by every sender:
   * a pass's start instant is read before the process has loaded its project and opened its
   * database (seconds on a busy machine, different in each process), and a sender whose bucket
   * clock lagged the others' by more than the burst tolerance would never be granted a token.
   * A pass at a simulated time (`send --at`, tests, benchmarks) runs on its start plus the time elapsed.
   */
  private bucketNow(): number {
    if (this.realTime) return this.wall();
    return this.now + Math.round(performance.now() - this.started);
  }

  /**
   * One of the site's connections, and how to give it back (once): a fleet-wide lease
   * (PostgreSQL), else this process's share of `connections` among the live senders (SQLite).
   * Undefined when the site was suspended or the pass stopped while waiting for a lease.
   */
  private async connection(
    site: string,
    connections: number,
    stopped: () => boolean,
  ): Promise<(() => void) | undefined> {
    const { leases } = this.parts;
    if (!leases) {
      await this.localConnection(site, Math.max(1, Math.floor(connections / Math.max(1, this.live()))));
      return once(() => {
        this.inFlight.set(site, Math.max(0, (this.inFlight.get(site) ?? 0) - 1));
        this.wakeOne(site);
      });
    }
    let nap = FIRST_LEASE_NAP_MS;
    for (;;) {
      const slot = await leases.take(site, connections);
      if (slot !== undefined) {
        const release = once(() => {
          this.leased.delete(release);
          this.track(leases.release(site, slot), site);
        });
        this.leased.add(release);
        return release;
      }
      if (stopped() || this.suspension(site)) return undefined;
      // The slot stays with its message while the others serve other sites.
      await this.napOrWake(site, nap);
      nap = Math.min(MAX_LEASE_NAP_MS, nap * 2);
      await this.refresh();
    }
  }

  private async localConnection(site: string, share: number): Promise<void> {
    while ((this.inFlight.get(site) ?? 0) >= share) {
      await new Promise<void>((resolve) => this.queueOf(site).push(resolve));
    }
    this.inFlight.set(site, (this.inFlight.get(site) ?? 0) + 1);
  }

  /** A lease release runs after the message is done; a failed one expires on its own. */
  private track(release: Promise<void>, site: string): void {
    const p = release.catch(() => undefined).then(() => this.wakeOne(site));
    this.releasing.add(p);
    void p.finally(() => this.releasing.delete(p));
  }

  /** Sleeps `ms`, or less when this process frees one of the site's connections meanwhile. */
  private napOrWake(site: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const queue = this.queueOf(site);
      const wake = () => {
        clearTimeout(timer);
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      queue.push(wake);
    });
  }

  private queueOf(site: string): (() => void)[] {
    let queue = this.waiters.get(site);
    if (!queue) this.waiters.set(site, (queue = []));
    return queue;
  }

  private wakeOne(site: string): void {
    this.waiters.get(site)?.shift()?.();
  }
}

/** `f`, run at most once however often it is called. */
function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}
