// ../../work/wt/h-studio/src/subscription/address.ts
import { createHash } from "node:crypto";
import { domainToASCII, domainToUnicode } from "node:url";
var ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
var DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
var LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
var MAX_ADDRESS_LENGTH = 254;
var MAX_LOCAL_LENGTH = 64;
var EXAMPLE = "Check it reads like name@example.org.";
function checkAddress(input) {
  if (typeof input !== "string" || input.trim() === "")
    return { ok: false, reason: "Please enter your email address." };
  if (/[\r\n]/.test(input.replace(/^[\s]+|[\s]+$/g, "")))
    return { ok: false, reason: "An email address cannot contain line breaks." };
  const email = input.trim().normalize("NFC");
  if (email.length > MAX_ADDRESS_LENGTH)
    return { ok: false, reason: `That address is too long (at most ${MAX_ADDRESS_LENGTH} characters).` };
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1)
    return { ok: false, reason: `That does not look like an email address. ${EXAMPLE}` };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.startsWith('"'))
    return {
      ok: false,
      reason: 'Quoted addresses ("\u2026"@example.org) are not accepted; please use an address without quotes.'
    };
  if (!DOT_ATOM.test(local)) {
    const dots = /^\.|\.$|\.\./.test(local);
    return {
      ok: false,
      reason: dots ? `The part before the @ cannot start or end with a dot or have two dots in a row. ${EXAMPLE}` : `That does not look like an email address. ${EXAMPLE}`
    };
  }
  if (local.length > MAX_LOCAL_LENGTH)
    return { ok: false, reason: `The part before the @ is too long (at most ${MAX_LOCAL_LENGTH} characters).` };
  const asciiDomain = asciiDomainOf(domain);
  if (asciiDomain === void 0)
    return { ok: false, reason: `The part after the @ is not a valid domain name. ${EXAMPLE}` };
  if (!asciiDomain.includes("."))
    return {
      ok: false,
      reason: `"${asciiDomain}" is not a domain on the Internet; use a full domain like example.org.`
    };
  const ascii = `${local}@${asciiDomain}`;
  if (ascii.length > MAX_ADDRESS_LENGTH)
    return { ok: false, reason: `That address is too long (at most ${MAX_ADDRESS_LENGTH} characters).` };
  return { ok: true, email, normalized: `${local.toLowerCase()}@${asciiDomain}`, ascii };
}
function asciiDomainOf(domain) {
  if (/[\s\p{Cc}%[\]:/\\@]/u.test(domain)) return void 0;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return void 0;
  const labels = ascii.split(".");
  if (!labels.every((l) => LDH_LABEL.test(l))) return void 0;
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return void 0;
  const decoded = domainToUnicode(ascii).split(".");
  if (labels.some((l, i) => l.startsWith("xn--") && decoded[i] === l)) return void 0;
  return ascii;
}
function normalizeAddress(email) {
  const checked = checkAddress(email);
  return checked.ok ? checked.normalized : email.trim().toLowerCase();
}
function addressHash(email) {
  return createHash("sha256").update(normalizeAddress(email)).digest("hex");
}
export {
  MAX_ADDRESS_LENGTH,
  addressHash,
  checkAddress,
  normalizeAddress
};
//# sourceMappingURL=address.js.map
