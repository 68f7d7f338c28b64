import { getDomain } from 'tldts';

/**
 * Domains as DMARC compares them (RFC 7489 §3.1): strict alignment is the same name, relaxed the
 * same organisational domain (the registered name under a public suffix, by the Public Suffix
 * List, private suffixes included as mailauth reads them).
 */
export type AlignmentMode = 'strict' | 'relaxed';

const bare = (domain: string) => domain.trim().toLowerCase().replace(/\.$/, '');

export function organisationalDomain(domain: string): string {
  const d = bare(domain);
  return getDomain(d, { allowPrivateDomains: true }) ?? d;
}

export function aligned(identity: string, fromDomain: string, mode: AlignmentMode): boolean {
  return mode === 'strict'
    ? bare(identity) === bare(fromDomain)
    : organisationalDomain(identity) === organisationalDomain(fromDomain);
}

/** "strict and relaxed", "relaxed only" or "neither": both modes at once, for the line. */
export function alignmentWords(identity: string, fromDomain: string): string {
  if (aligned(identity, fromDomain, 'strict')) return 'aligned strict and relaxed';
  if (aligned(identity, fromDomain, 'relaxed')) return 'aligned relaxed only (not strict)';
  return 'not aligned';
}

/** The domain of an address. */
export const domainOfAddress = (address: string) => bare(address.slice(address.lastIndexOf('@') + 1));
