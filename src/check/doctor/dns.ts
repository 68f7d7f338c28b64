import type { Resolver } from 'node:dns/promises';

/**
 * The DNS questions the checks ask, over the one configured resolver (NEWSLETTER_DNS_SERVERS).
 * "No such name" and "no such record" are an empty answer, which the checks report as missing;
 * anything else (a timeout, SERVFAIL) is a DnsError, reported as "could not ask".
 */
export interface Dns {
  /** Each TXT record with its strings joined, as SPF, DKIM and DMARC read them. */
  txt(name: string): Promise<string[]>;
  mx(name: string): Promise<{ exchange: string; priority: number }[]>;
  /** What mailauth asks: the raw answer of node:dns for any type, errors as node:dns throws them. */
  raw(name: string, type: string): Promise<unknown>;
}

export class DnsError extends Error {
  constructor(
    readonly query: string,
    readonly code: string,
  ) {
    super(`DNS query for ${query} failed (${code})`);
    this.name = 'DnsError';
  }
}

const EMPTY = new Set(['ENODATA', 'ENOTFOUND']);

export function dnsOver(resolver: Resolver): Dns {
  const asked = async <T>(name: string, query: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await query();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (EMPTY.has(code)) return [];
      throw new DnsError(name, code);
    }
  };
  return {
    txt: async (name) => (await asked(name, () => resolver.resolveTxt(name))).map((parts) => parts.join('')),
    mx: (name) => asked(name, () => resolver.resolveMx(name)),
    raw: (name, type) => resolver.resolve(name, type),
  };
}
