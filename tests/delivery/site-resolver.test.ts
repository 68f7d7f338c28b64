import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteResolver, type MxLookup } from '../../src/delivery/site-resolver.ts';
import { registrableDomain } from '../../src/delivery/registrable-domain.ts';
import { knownSite, siteOfMx } from '../../src/delivery/sites.ts';
import { mxQuery } from '../../src/mailer/mx-query.ts';
import { kyselyMxCache } from '../../src/store/shaping.ts';
import { startDnsServer, type DnsServer } from '../support/mx-dns-server.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const NOW = Date.UTC(2026, 2, 2, 19);

describe('the provider site of a domain', () => {
  it('known consumer domains map without a lookup', () => {
    expect(['gmail.com', 'googlemail.com'].map(knownSite)).toEqual(['google', 'google']);
    expect(['outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'msn.com'].map(knownSite)).toEqual(
      Array(5).fill('microsoft'),
    );
    expect(['yahoo.com', 'yahoo.fr', 'aol.com', 'ymail.com'].map(knownSite)).toEqual(Array(4).fill('yahoo'));
    expect(['icloud.com', 'me.com', 'mac.com'].map(knownSite)).toEqual(Array(3).fill('apple'));
    expect(knownSite('example.org')).toBeUndefined();
  });

  it('MX hosts roll up to the provider, else to their registrable domain', () => {
    expect(siteOfMx('acme.org', ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'], registrableDomain)).toBe('google');
    expect(siteOfMx('fabrikam.net', ['fabrikam-net.mail.protection.outlook.com'], registrableDomain)).toBe('microsoft');
    expect(siteOfMx('aol.example', ['mx-aol.mail.gm0.yahoodns.net'], registrableDomain)).toBe('yahoo');
    expect(siteOfMx('family.org', ['mx01.mail.icloud.com'], registrableDomain)).toBe('apple');
    expect(siteOfMx('small.org', ['mx1.mailhost.co.uk'], registrableDomain)).toBe('mailhost.co.uk');
    expect(siteOfMx('Small.org', [], registrableDomain)).toBe('small.org');
    expect(registrableDomain('in1-smtp.messagingengine.com.')).toBe('messagingengine.com');
  });

  it('rolls up by the public suffix list: bodies under a shared suffix are sites of their own', () => {
    // Each NHS trust, US school district or New Zealand school runs its own mail servers.
    expect(siteOfMx('trust-a.nhs.uk', ['mx1.trust-a.nhs.uk'], registrableDomain)).toBe('trust-a.nhs.uk');
    expect(siteOfMx('trust-b.nhs.uk', ['mx1.trust-b.nhs.uk'], registrableDomain)).toBe('trust-b.nhs.uk');
    expect(registrableDomain('MX.District.K12.CA.US.')).toBe('district.k12.ca.us');
    expect(registrableDomain('mx.kura.school.nz')).toBe('kura.school.nz');
    expect(registrableDomain('mx.example.com.au')).toBe('example.com.au');
    // No registrable part: the host is its own site.
    expect(registrableDomain('192.0.2.25')).toBe('192.0.2.25');
    expect(registrableDomain('localhost')).toBe('localhost');
  });
});

describeEachEngine('MX lookups through a real DNS server, cached and shared through the database', (engine) => {
  const t = useTestStore(engine);
  let dns: DnsServer;

  beforeAll(async () => {
    dns = await startDnsServer(
      {
        'acme-corp.org': ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'],
        'fabrikam.net': ['fabrikam-net.mail.protection.outlook.com'],
        'small-shop.org': ['mx1.mailhost.co.uk'],
      },
      { silent: ['slow-dns.org'] },
    );
  });
  afterAll(() => dns.close());

  const lookupVia = (address: string): MxLookup => mxQuery([address], { timeoutMs: 500 });

  it('rolls looked-up domains up to their site; an unknown domain with no MX and a server that never answers fall back to the domain', async () => {
    const sites = new SiteResolver({ lookup: lookupVia(dns.address), cache: kyselyMxCache(t.db), timeoutMs: 1000 });
    const got = await sites.sitesOf(
      ['acme-corp.org', 'fabrikam.net', 'small-shop.org', 'no-mx-here.org', 'slow-dns.org', 'gmail.com', 'x.example'],
      NOW,
    );
    expect(Object.fromEntries(got)).toEqual({
      'acme-corp.org': 'google',
      'fabrikam.net': 'microsoft',
      'small-shop.org': 'mailhost.co.uk',
      'no-mx-here.org': 'no-mx-here.org',
      'slow-dns.org': 'slow-dns.org',
      'gmail.com': 'google',
      'x.example': 'x.example',
    });
    // Known and reserved domains were never asked for.
    expect(dns.queries).not.toContain('gmail.com');
    expect(dns.queries).not.toContain('x.example');
  });

  it('another sender (its own connection) reads the answers from the database instead of asking again', async () => {
    const asked = dns.queries.length;
    const other = new SiteResolver({ lookup: lookupVia(dns.address), cache: kyselyMxCache(t.open({ pool: 1 })) });
    const got = await other.sitesOf(['acme-corp.org', 'fabrikam.net', 'no-mx-here.org'], NOW + 60_000);
    expect(Object.fromEntries(got)).toEqual({
      'acme-corp.org': 'google',
      'fabrikam.net': 'microsoft',
      'no-mx-here.org': 'no-mx-here.org',
    });
    expect(dns.queries.length).toBe(asked);
    // Once the cached answer expires, it is asked again.
    await other.sitesOf(['acme-corp.org'], NOW + 2 * 86_400_000);
    expect(dns.queries.slice(asked)).toContain('acme-corp.org');
  });

  it("keeps an answer for its record's TTL (400 s: asked again at 400 s, not before) and a negative one per the SOA, in mx_cache", async () => {
    const ttlDns = await startDnsServer(
      { 'ttl-four-hundred.org': ['mx.ttl-four-hundred.org'] },
      { ttls: { 'ttl-four-hundred.org': 400 }, soa: { ttl: 1200, minimum: 900 } },
    );
    try {
      const lookup = lookupVia(ttlDns.address);
      await new SiteResolver({ lookup, cache: kyselyMxCache(t.db) }).sitesOf(['ttl-four-hundred.org', 'gone.org'], NOW);
      const rows = await t.db
        .selectFrom('mx_cache')
        .select(['domain', 'expires_at'])
        .where('domain', 'in', ['ttl-four-hundred.org', 'gone.org'])
        .orderBy('domain')
        .execute();
      // The negative answer: the lower of the SOA's TTL and its minimum (RFC 2308).
      expect(rows.map((r) => [r.domain, Number(r.expires_at) - NOW])).toEqual([
        ['gone.org', 900_000],
        ['ttl-four-hundred.org', 400_000],
      ]);
      // Another sender (its own memory and connection) reads it from the database until it expires.
      const other = new SiteResolver({ lookup, cache: kyselyMxCache(t.open({ pool: 1 })) });
      const asked = ttlDns.queries.length;
      await other.sitesOf(['ttl-four-hundred.org'], NOW + 399_999);
      expect(ttlDns.queries.length).toBe(asked);
      await other.sitesOf(['ttl-four-hundred.org'], NOW + 400_000);
      expect(ttlDns.queries.slice(asked)).toEqual(['ttl-four-hundred.org']);
    } finally {
      await ttlDns.close();
    }
  });

  it('an answer truncated over UDP is asked again over TCP', async () => {
    const big = await startDnsServer(
      { 'many-mx.org': ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'] },
      { truncated: ['many-mx.org'] },
    );
    try {
      const got = await new SiteResolver({ lookup: lookupVia(big.address) }).sitesOf(['many-mx.org'], NOW);
      expect(got.get('many-mx.org')).toBe('google');
      expect(big.tcpQueries).toEqual(['many-mx.org']);
    } finally {
      await big.close();
    }
  });
});
