import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Dns } from './dns.ts';
import { alignmentWords } from './domains.ts';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'DKIM';
/** Receivers (and mailauth by default) reject RSA keys under 1024 bits; 2048 is what Gmail asks for. */
export const DKIM_MIN_BITS = 1024;
export const DKIM_GOOD_BITS = 2048;

export interface DkimInput {
  dkim?: { domain: string; selector: string; keyFile: string } | undefined;
  /** The From address's domain. */
  fromDomain: string;
  dns: Dns;
}

/** Tags of a DKIM key record: `v=DKIM1; k=rsa; p=MIIB…`. */
export function dkimTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) tags.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** What goes in p= for a key: the SubjectPublicKeyInfo for RSA, the raw 32 bytes for Ed25519 (RFC 8463). */
function publishedKey(key: KeyObject): { k: string; p: string } {
  const spki = key.export({ type: 'spki', format: 'der' });
  return key.asymmetricKeyType === 'ed25519'
    ? { k: 'ed25519', p: spki.subarray(spki.length - 32).toString('base64') }
    : { k: 'rsa', p: spki.toString('base64') };
}

const recordValue = (key: { k: string; p: string }) => `v=DKIM1; k=${key.k}; p=${key.p}`;

/** The published p= as a key, to read its size; undefined when it is not a key. */
function keyOfRecord(p: string, k: string): KeyObject | undefined {
  try {
    const der = Buffer.from(p, 'base64');
    return k === 'ed25519'
      ? createPublicKey({
          key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]),
          format: 'der',
          type: 'spki',
        })
      : createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** No key configured: how to make one, and the record it needs. */
function noKey(fromDomain: string): Finding {
  const name = `ncw._domainkey.${fromDomain}`;
  return fail(
    CHECK,
    'no signing key configured, so mail goes out unsigned (Gmail, Yahoo and Outlook reject unsigned bulk mail)',
    `make a key: \`mkdir -p dkim && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim/private.pem && chmod 600 dkim/private.pem\`, print its public half for p=: \`openssl pkey -in dkim/private.pem -pubout -outform DER | base64 -w0\`, then set NEWSLETTER_DKIM_DOMAIN=${fromDomain} NEWSLETTER_DKIM_SELECTOR=ncw NEWSLETTER_DKIM_KEY_FILE=dkim/private.pem and run doctor again (it prints the exact record)`,
    { record: { name, type: 'TXT', value: 'v=DKIM1; k=rsa; p=<the base64 line printed above>' } },
  );
}

/** ✗ under 1024 bits (receivers reject it), ⚠ under 2048. */
function sizeOf(bits: number): Finding {
  const regenerate = `make a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim/private.pem) under a new selector, publish it, then switch NEWSLETTER_DKIM_SELECTOR`;
  if (bits < DKIM_MIN_BITS)
    return fail(CHECK, `the key has ${bits} bits; receivers reject keys under ${DKIM_MIN_BITS}`, regenerate);
  if (bits < DKIM_GOOD_BITS)
    return warn(CHECK, `the key has ${bits} bits; ${DKIM_GOOD_BITS} is what Gmail asks for`, regenerate);
  return ok(CHECK, `the key has ${bits} bits`);
}

/**
 * The selector's key record exists and holds the public half of the configured private key, of
 * at least 1024 bits (⚠ under 2048), and d= is aligned with the From domain. Without a key:
 * how to make one, and the record it needs.
 */
export async function checkDkim(input: DkimInput): Promise<Finding[]> {
  const { dkim, fromDomain, dns } = input;
  if (!dkim) return [noKey(fromDomain)];
  let key: KeyObject;
  try {
    key = createPublicKey(createPrivateKey(await readFile(dkim.keyFile, 'utf8')));
  } catch (e) {
    return [
      fail(
        CHECK,
        `${dkim.keyFile} is not a private key nodemailer can sign with (${(e as Error).message})`,
        'point NEWSLETTER_DKIM_KEY_FILE at a PEM private key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)',
      ),
    ];
  }
  const expected = publishedKey(key);
  const name = `${dkim.selector}._domainkey.${dkim.domain}`;
  const record = { name, type: 'TXT' as const, value: recordValue(expected) };
  const findings: Finding[] = [];
  const records = (await dns.txt(name)).filter((r) => /(^|;)\s*p\s*=/i.test(r));
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (records.length === 0)
    findings.push(
      fail(CHECK, `${name} has no key record, so receivers cannot verify the signature`, 'publish this TXT record', {
        record,
      }),
    );
  else if (records.length > 1)
    findings.push(
      fail(CHECK, `${name} has ${records.length} key records; receivers may pick either`, 'keep only this one', {
        record,
      }),
    );
  else {
    const tags = dkimTags(records[0]!);
    const p = tags.get('p') ?? '';
    const published = keyOfRecord(p, tags.get('k') ?? 'rsa');
    if (p === '')
      findings.push(fail(CHECK, `${name} has an empty p= (the key is revoked)`, 'publish this TXT record', { record }));
    else if (
      !published ||
      published.export({ type: 'spki', format: 'der' }).toString('base64') !==
        key.export({ type: 'spki', format: 'der' }).toString('base64')
    )
      findings.push(
        fail(
          CHECK,
          `${name} publishes a key that does not match ${dkim.keyFile}, so every signature fails`,
          'replace the record with this one (or point NEWSLETTER_DKIM_KEY_FILE at the key it was made from)',
          { record },
        ),
      );
    else findings.push(ok(CHECK, `${name} publishes the public half of ${dkim.keyFile}`));
  }
  if (bits !== undefined) findings.push(sizeOf(bits));
  const alignment = alignmentWords(dkim.domain, fromDomain);
  if (alignment === 'not aligned')
    findings.push(
      fail(
        CHECK,
        `d=${dkim.domain} is not aligned with the From domain ${fromDomain}, so the signature does not count for DMARC`,
        `sign as the From domain: NEWSLETTER_DKIM_DOMAIN=${fromDomain} (publish the key at ${dkim.selector}._domainkey.${fromDomain})`,
        { record: { ...record, name: `${dkim.selector}._domainkey.${fromDomain}` } },
      ),
    );
  else findings.push(ok(CHECK, `d=${dkim.domain} is ${alignment} with the From domain ${fromDomain}`));
  return findings;
}
