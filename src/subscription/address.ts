import { createHash } from 'node:crypto';
import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * One address rule for every way in (the site's form and JSON, `subscribers add`, `import`,
 * `remove`, `send-test`, the preview's test send):
 *
 * - Local part: RFC 5322 dot-atom (RFC 5321's Dot-string): atext characters, dots only between
 *   them. Quoted local parts (`"john doe"@…`) are refused on purpose: RFC 5321 asks senders not
 *   to create them, many providers refuse them, and their quotes and spaces are exactly what a
 *   header injection needs. Non-ASCII local parts need SMTPUTF8 end to end and are refused too.
 * - Domain: IDNA (UTS #46) through Node's own `url.domainToASCII` (the WHATWG URL host parser,
 *   maintained with Node, no extra dependency), then RFC 1035/5890 LDH labels on the ASCII form:
 *   `bücher.de` and `xn--bcher-kva.de` are the same domain. At least two labels (`localhost`
 *   and other single-label names are not deliverable on the Internet), no IP literals, a TLD
 *   that is not all digits.
 * - Lengths (RFC 5321) count the ASCII form, which is what goes on the wire: 64 for the local
 *   part, 254 for the address.
 *
 * What is stored: `email` keeps the address as the reader typed it (trimmed), so a Unicode
 * domain is shown to them as they know it; `normalized` (lower-cased local part + ASCII domain)
 * makes addresses unique and is what the suppression hash covers. `ascii` is the form to send
 * to; nodemailer converts a Unicode domain to the same form itself.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 5321's limits: a path of at most 256 octets (254 for the address), a local part of 64. */
export const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

export type AddressCheck =
  { ok: true; email: string; normalized: string; ascii: string } | { ok: false; reason: string };

const EXAMPLE = 'Check it reads like name@example.org.';

export function checkAddress(input: unknown): AddressCheck {
  if (typeof input !== 'string' || input.trim() === '')
    return { ok: false, reason: 'Please enter your email address.' };
  if (/[\r\n]/.test(input.replace(/^[\s]+|[\s]+$/g, '')))
    return { ok: false, reason: 'An email address cannot contain line breaks.' };
  const email = input.trim().normalize('NFC');
  if (email.length > MAX_ADDRESS_LENGTH)
    return { ok: false, reason: `That address is too long (at most ${MAX_ADDRESS_LENGTH} characters).` };
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1)
    return { ok: false, reason: `That does not look like an email address. ${EXAMPLE}` };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.startsWith('"'))
    return {
      ok: false,
      reason: 'Quoted addresses ("…"@example.org) are not accepted; please use an address without quotes.',
    };
  if (!DOT_ATOM.test(local)) {
    const dots = /^\.|\.$|\.\./.test(local);
    return {
      ok: false,
      reason: dots
        ? `The part before the @ cannot start or end with a dot or have two dots in a row. ${EXAMPLE}`
        : `That does not look like an email address. ${EXAMPLE}`,
    };
  }
  if (local.length > MAX_LOCAL_LENGTH)
    return { ok: false, reason: `The part before the @ is too long (at most ${MAX_LOCAL_LENGTH} characters).` };
  const asciiDomain = asciiDomainOf(domain);
  if (asciiDomain === undefined)
    return { ok: false, reason: `The part after the @ is not a valid domain name. ${EXAMPLE}` };
  if (!asciiDomain.includes('.'))
    return {
      ok: false,
      reason: `"${asciiDomain}" is not a domain on the Internet; use a full domain like example.org.`,
    };
  const ascii = `${local}@${asciiDomain}`;
  if (ascii.length > MAX_ADDRESS_LENGTH)
    return { ok: false, reason: `That address is too long (at most ${MAX_ADDRESS_LENGTH} characters).` };
  return { ok: true, email, normalized: `${local.toLowerCase()}@${asciiDomain}`, ascii };
}

/** The domain's ASCII (punycode) form, lower case; undefined when it is not a host name. */
function asciiDomainOf(domain: string): string | undefined {
  // The URL host parser also accepts things a mail domain may not be: check its input and output.
  if (/[\s\p{Cc}%[\]:/\\@]/u.test(domain)) return undefined;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (!labels.every((l) => LDH_LABEL.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return undefined;
  // An xn-- label must be punycode that decodes: Node 20's parser refuses one that does not, newer
  // lines (Node 24's ada) pass it through unchanged, so ask the decoder.
  const decoded = domainToUnicode(ascii).split('.');
  if (labels.some((l, i) => l.startsWith('xn--') && decoded[i] === l)) return undefined;
  return ascii;
}

/**
 * The form that makes addresses unique: local part lower-cased, domain in IDNA ASCII. For an
 * address that fails `checkAddress` (a lookup of a typo) it falls back to lower case.
 */
export function normalizeAddress(email: string): string {
  const checked = checkAddress(email);
  return checked.ok ? checked.normalized : email.trim().toLowerCase();
}

/** What the suppression list keeps: sha256 hex of the normalized address, never the address. */
export function addressHash(email: string): string {
  return createHash('sha256').update(normalizeAddress(email)).digest('hex');
}
