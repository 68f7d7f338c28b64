import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Zone } from '../../support/dns-server.ts';

/** The suite's sender (tests/fixtures/content/series.yml) and the addresses around it. */
export const FROM_DOMAIN = 'night-cramp-weekly.example';
export const BOUNCE_DOMAIN = `bounces.${FROM_DOMAIN}`;
export const SENDING_IP = '192.0.2.25';
export const SELECTOR = 'ncw';

/** An RSA private key in PEM, and the p= its record carries. */
export function rsaKey(bits: number): { pem: string; p: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, p: pOf(privateKey) };
}

export const pOf = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');

/**
 * The zone of a sender set up right: SPF on the bounce domain covering the sending IP in 3
 * lookups, the DKIM key at ncw._domainkey, DMARC with rua=, an MX for bounces. Each broken case
 * is this zone with one thing changed.
 */
export function goodZone(p: string): Zone {
  return {
    [FROM_DOMAIN]: {
      TXT: [`v=spf1 ip4:${SENDING_IP} include:_spf.relay.example -all`],
      MX: [{ exchange: `mx.${FROM_DOMAIN}`, priority: 10 }],
    },
    [BOUNCE_DOMAIN]: {
      TXT: [`v=spf1 ip4:${SENDING_IP} include:_spf.relay.example -all`, 'google-site-verification=abc'],
      MX: [{ exchange: `mx.${FROM_DOMAIN}`, priority: 10 }],
    },
    '_spf.relay.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 a:out.relay.example ~all'] },
    'out.relay.example': { A: ['198.51.100.7'] },
    [`${SELECTOR}._domainkey.${FROM_DOMAIN}`]: { TXT: [`v=DKIM1; k=rsa; p=${p}`] },
    [`_dmarc.${FROM_DOMAIN}`]: { TXT: [`v=DMARC1; p=quarantine; rua=mailto:dmarc@${FROM_DOMAIN}`] },
    [`mx.${FROM_DOMAIN}`]: { A: ['192.0.2.10'] },
  };
}

/** SPF of 11 lookups: ten include:s, each an SPF record of one `a`, under the bounce domain. */
export function elevenLookups(zone: Zone): Zone {
  const includes = Array.from({ length: 5 }, (_, i) => `i${i}.relay.example`);
  const extra: Zone = Object.fromEntries(includes.map((n) => [n, { TXT: [`v=spf1 a:out.relay.example ~all`] }]));
  return {
    ...zone,
    ...extra,
    [BOUNCE_DOMAIN]: {
      ...zone[BOUNCE_DOMAIN],
      // The sending IP last, so receivers meet the limit before they reach it.
      TXT: [`v=spf1 ${includes.map((n) => `include:${n}`).join(' ')} mx ip4:${SENDING_IP} -all`],
    },
  };
}
