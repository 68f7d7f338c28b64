import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsError, dnsOver } from '../../../src/check/doctor/dns.ts';
import { formatFinding } from '../../../src/check/doctor/finding.ts';
import { checkSpf } from '../../../src/check/doctor/spf.ts';
import { createResolver } from '../../../src/mailer/resolver.ts';
import { startDnsServer, type DnsServer, type Zone } from '../../support/dns-server.ts';

/**
 * The SPF rules on records the zone test does not carry: lookups counted through redirect=,
 * an include with no SPF behind it, and the endings receivers do not accept. Against the real
 * loopback DNS server, through the configured resolver.
 */
describe('doctor: SPF records', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer();
  });
  afterAll(() => dns.close());

  async function spf(zone: Zone): Promise<string> {
    dns.serve(zone);
    const findings = await checkSpf({ domain: 'example.net', dns: dnsOver(createResolver([dns.address])) });
    return findings.flatMap(formatFinding).join('\n');
  }

  it('counts through redirect= and takes the ending of the record it redirects to', async () => {
    const out = await spf({
      'example.net': { TXT: ['v=spf1 redirect=_spf.example.net'] },
      '_spf.example.net': { TXT: ['v=spf1 a mx include:relay.example -all'] },
      'relay.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 ~all'] },
    });
    expect(out).toContain('✓ SPF: example.net "v=spf1 redirect=_spf.example.net": 4 of 10 DNS lookups, ends in -all');
  });

  it('an include with no SPF record behind it: ✗ (a permerror at the receiver)', async () => {
    const out = await spf({ 'example.net': { TXT: ['v=spf1 include:gone.example -all'] } });
    expect(out).toContain('but gone.example has no SPF record (a permanent error at the receiver)');
    expect(out).toMatch(/^✗ SPF/);
  });

  it('+all lets anyone send: ✗ with the record ending in -all', async () => {
    const out = await spf({ 'example.net': { TXT: ['v=spf1 ip4:192.0.2.25 +all'] } });
    expect(out).toContain('but it ends in +all (anyone may send as you)');
    expect(out).toContain('publish: example.net. TXT "v=spf1 ip4:192.0.2.25 -all"');
  });

  it('no all at all: ✗; ?all: ✗ too (receivers treat it as no policy)', async () => {
    expect(await spf({ 'example.net': { TXT: ['v=spf1 ip4:192.0.2.25'] } })).toContain('but it ends in no all');
    expect(await spf({ 'example.net': { TXT: ['v=spf1 ip4:192.0.2.25 ?all'] } })).toContain('but it ends in ?all');
  });

  it('without NEWSLETTER_SENDING_IP: ⚠ that coverage is not checked', async () => {
    const out = await spf({ 'example.net': { TXT: ['v=spf1 ip4:192.0.2.25 -all'] } });
    expect(out).toContain('⚠ SPF: NEWSLETTER_SENDING_IP is not set');
  });

  it('a DNS server that does not answer is an error ("could not ask"), never "no record"', async () => {
    const silent = await startDnsServer();
    const address = silent.address;
    await silent.close();
    const dead = dnsOver(createResolver([address], { timeoutMs: 200, tries: 1 }));
    await expect(checkSpf({ domain: 'example.net', dns: dead })).rejects.toBeInstanceOf(DnsError);
  });
});
