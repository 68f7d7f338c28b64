import type { MxEntry } from '../store/shaping.ts';
import { knownSite, siteOfMx } from './sites.ts';

export type { MxEntry };

/**
 * The MX hosts of a domain, lowest preference first, and how long the answer may be kept
 * (seconds); `[]` when the domain has no MX record. Rejects when the lookup fails.
 */
export type MxLookup = (domain: string) => Promise<{ hosts: string[]; ttlSeconds?: number }>;

/** Where MX answers are shared by every sender (`src/store/shaping.ts`: the `mx_cache` table). */
export interface MxCache {
  read(domains: readonly string[], now: number): Promise<Map<string, MxEntry>>;
  write(entries: readonly MxEntry[]): Promise<void>;
}

/**
 * Names reserved for documentation and testing (RFC 2606, RFC 6761): they have no real MX, so
 * they are their own site without a lookup.
 */
export function isSpecialUse(domain: string): boolean {
  return /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i.test(domain);
}

/** An answer without a TTL (a negative answer with no SOA) is kept this long. */
export const DEFAULT_MX_TTL_S = 3600;
/** TTLs are bounded: a 0 TTL would look up at every pass, a week-long one never sees a move. */
const MIN_TTL_S = 300;
const MAX_TTL_S = 86_400;
/** A failed lookup is not asked again for this long (the domain stands for its own site meanwhile). */
const FAILED_TTL_S = 600;
/** A lookup that has not answered by then counts as failed: the pass never waits longer. */
export const LOOKUP_TIMEOUT_MS = 3000;

/**
 * Which site each recipient domain belongs to: a known consumer domain at once; else the MX
 * answer cached in this process, then in the database, then looked up (all of a batch's
 * domains at once, each bounded by `timeoutMs`). A failed or slow lookup makes the domain its
 * own site, cached briefly: a DNS problem never blocks or stops a pass.
 */
export class SiteResolver {
  private readonly memory = new Map<string, MxEntry>();

  constructor(private readonly deps: { lookup: MxLookup; cache?: MxCache; timeoutMs?: number }) {}

  /** The site of every domain given, at `now`. */
  async sitesOf(domains: Iterable<string>, now: number): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const domain of new Set(domains)) {
      const known = knownSite(domain) ?? (isSpecialUse(domain) ? domain : undefined);
      const cached = this.memory.get(domain);
      if (known) out.set(domain, known);
      else if (cached && cached.expiresAt > now) out.set(domain, cached.site);
      else missing.push(domain);
    }
    if (missing.length === 0) return out;
    const stored = this.deps.cache
      ? await this.deps.cache.read(missing, now).catch(() => new Map<string, MxEntry>())
      : new Map<string, MxEntry>();
    const toLookUp = missing.filter((d) => !stored.has(d));
    for (const entry of stored.values()) this.remember(entry, out);
    const looked = await Promise.all(toLookUp.map((domain) => this.lookUp(domain, now)));
    for (const entry of looked) this.remember(entry, out);
    // Shared so the other senders do not ask again; a database that cannot take it loses only the cache.
    if (looked.length > 0) await this.deps.cache?.write(looked).catch(() => undefined);
    return out;
  }

  private remember(entry: MxEntry, out: Map<string, string>): void {
    this.memory.set(entry.domain, entry);
    out.set(entry.domain, entry.site);
  }

  private async lookUp(domain: string, now: number): Promise<MxEntry> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), this.deps.timeoutMs ?? LOOKUP_TIMEOUT_MS);
    });
    try {
      const answer = await Promise.race([this.deps.lookup(domain), timeout]);
      const { registrableDomain } = await import('./registrable-domain.ts');
      const ttl = Math.min(MAX_TTL_S, Math.max(MIN_TTL_S, answer.ttlSeconds ?? DEFAULT_MX_TTL_S));
      return {
        domain,
        site: siteOfMx(domain, answer.hosts, registrableDomain),
        mx: answer.hosts.join(' '),
        expiresAt: now + ttl * 1000,
      };
    } catch (e) {
      // No MX record at all (ENODATA, ENOTFOUND) is an answer: mail goes to the domain itself (RFC 5321 5.1).
      const code = (e as { code?: unknown }).code;
      const ttl = code === 'ENODATA' || code === 'ENOTFOUND' ? DEFAULT_MX_TTL_S : FAILED_TTL_S;
      return { domain, site: domain, mx: '', expiresAt: now + ttl * 1000 };
    } finally {
      clearTimeout(timer);
    }
  }
}
