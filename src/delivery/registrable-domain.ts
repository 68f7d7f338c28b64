import { getDomain } from 'tldts';

/**
 * The registrable part of a host name by the public suffix list (tldts, which doctor uses too):
 * `mx.example.co.uk` → `example.co.uk`, and `mx1.trust-a.nhs.uk` → `trust-a.nhs.uk`, where a
 * hand-kept list of short second levels made every NHS body, US school district or New Zealand
 * school one site. A host with no registrable part (an address, a single label) is its own site.
 *
 * Its own module, imported by the site resolver when it first reads an MX answer: tldts's list
 * costs 20–60 ms to load, which a pass to consumer domains only, or `send` with nobody due,
 * should not pay at start-up.
 */
export function registrableDomain(host: string): string {
  const name = host.toLowerCase().replace(/\.$/, '');
  return getDomain(name) ?? name;
}
