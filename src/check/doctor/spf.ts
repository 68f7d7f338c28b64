import type { Dns } from './dns.ts';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'SPF';
/** RFC 7208 §4.6.4: more than ten DNS-querying terms is a permerror, which receivers read as no SPF. */
export const SPF_LOOKUP_LIMIT = 10;
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

export interface SpfInput {
  /** The envelope-from domain: the bounce address's, else the From address's. */
  domain: string;
  /** NEWSLETTER_SENDING_IP, if set. */
  sendingIp?: string | undefined;
  dns: Dns;
  /** Whether SPF lets `ip` send for `domain`, decided by mailauth (the receivers' own logic). */
  covers?(domain: string, ip: string): Promise<{ result: string; explanation?: string }>;
}

const isSpf = (txt: string) => /^v=spf1(\s|$)/i.test(txt.trim());
const terms = (record: string) => record.trim().split(/\s+/).slice(1);
/** `-include:x` → { qualifier '-', name 'include', value 'x' }; `redirect=x` → name 'redirect'. */
function parseTerm(term: string): { qualifier: string; name: string; value: string } {
  const m = /^([+\-~?]?)([a-z0-9]+)(?:[:=/](.*))?$/i.exec(term);
  return { qualifier: m?.[1] || '+', name: (m?.[2] ?? term).toLowerCase(), value: m?.[3] ?? '' };
}

interface Walk {
  lookups: number;
  /** Names included or redirected to that have no SPF record (a permerror at the receiver). */
  missing: string[];
}

/** Counts the DNS-querying terms, following include: and redirect= (each counts too), as receivers do. */
async function countLookups(dns: Dns, record: string, walk: Walk, seen: Set<string>): Promise<void> {
  for (const term of terms(record)) {
    const { name, value } = parseTerm(term);
    if (!LOOKUP_TERMS.has(name) && name !== 'redirect') continue;
    walk.lookups++;
    if ((name !== 'include' && name !== 'redirect') || !value || seen.has(value.toLowerCase())) continue;
    // Past the limit the answer is already a permerror: no need to walk further.
    if (walk.lookups > SPF_LOOKUP_LIMIT) return;
    seen.add(value.toLowerCase());
    const target = (await dns.txt(value)).filter(isSpf);
    if (target.length !== 1) walk.missing.push(value);
    else await countLookups(dns, target[0]!, walk, seen);
  }
}

/** The record's `all` (following a redirect= when it has none), e.g. '-all'; undefined: none. */
async function endingOf(dns: Dns, record: string, depth = 0): Promise<string | undefined> {
  const parsed = terms(record).map(parseTerm);
  const all = parsed.find((t) => t.name === 'all');
  if (all) return `${all.qualifier === '+' ? '+' : all.qualifier}all`;
  const redirect = parsed.find((t) => t.name === 'redirect');
  if (!redirect || depth > 5) return undefined;
  const target = (await dns.txt(redirect.value)).filter(isSpf);
  return target.length === 1 ? endingOf(dns, target[0]!, depth + 1) : undefined;
}

/** The record with the sending IP added before its `all` (or at the end). */
function withIp(record: string, ip: string): string {
  const mechanism = `${ip.includes(':') ? 'ip6' : 'ip4'}:${ip}`;
  const parts = record.trim().split(/\s+/);
  const at = parts.findIndex((t) => parseTerm(t).name === 'all' || parseTerm(t).name === 'redirect');
  if (at < 0) return [...parts, mechanism, '~all'].join(' ');
  parts.splice(at, 0, mechanism);
  return parts.join(' ');
}

/**
 * SPF of the envelope-from domain: one record, at most ten lookups, ending in -all or ~all, and
 * covering NEWSLETTER_SENDING_IP when it is set.
 */
export async function checkSpf(input: SpfInput): Promise<Finding[]> {
  const { domain, dns, sendingIp } = input;
  const suggested = sendingIp ? `v=spf1 ${sendingIp.includes(':') ? 'ip6' : 'ip4'}:${sendingIp} -all` : undefined;
  const records = (await dns.txt(domain)).filter(isSpf);
  if (records.length === 0)
    return [
      fail(
        CHECK,
        `${domain} has no SPF record, so receivers cannot tell who may send its mail`,
        suggested
          ? 'publish this TXT record (add include:<your relay’s SPF domain> before -all if the relay sends from other addresses too)'
          : 'publish an SPF record naming your relay: set NEWSLETTER_SENDING_IP to the relay’s outgoing address and run doctor again for the exact record, or use the include: your relay documents',
        suggested ? { record: { name: domain, type: 'TXT', value: suggested } } : {},
      ),
    ];
  if (records.length > 1)
    return [
      fail(
        CHECK,
        `${domain} has ${records.length} SPF records; receivers treat that as a permanent error (no SPF at all)`,
        'merge them into one TXT record and delete the others',
        { detail: records.map((r) => `found: "${r}"`) },
      ),
    ];
  const record = records[0]!;
  const walk: Walk = { lookups: 0, missing: [] };
  await countLookups(dns, record, walk, new Set([domain.toLowerCase()]));
  const findings: Finding[] = [];
  const ending = await endingOf(dns, record);
  const summary = `${domain} "${record}": ${walk.lookups} of ${SPF_LOOKUP_LIMIT} DNS lookups`;
  if (walk.lookups > SPF_LOOKUP_LIMIT)
    findings.push(
      fail(
        CHECK,
        `${domain}: ${walk.lookups} DNS lookups, over the limit of ${SPF_LOOKUP_LIMIT}; receivers treat it as a permanent error`,
        'replace include:, a and mx terms by the ip4:/ip6: ranges they stand for (or drop services that no longer send for this domain) until at most 10 remain',
        { detail: [`found: "${record}"`] },
      ),
    );
  else if (walk.missing.length)
    findings.push(
      fail(
        CHECK,
        `${summary}, but ${walk.missing.join(', ')} has no SPF record (a permanent error at the receiver)`,
        `remove the include: of ${walk.missing.join(', ')} or correct its name`,
      ),
    );
  else if (ending === '-all' || ending === '~all') findings.push(ok(CHECK, `${summary}, ends in ${ending}`));
  else
    findings.push(
      fail(
        CHECK,
        `${summary}, but it ends in ${ending ?? 'no all'}${ending === '+all' ? ' (anyone may send as you)' : ''}`,
        'end the record in -all (or ~all while you test)',
        { record: { name: domain, type: 'TXT', value: replaceAll(record, '-all') } },
      ),
    );
  if (sendingIp && input.covers && walk.lookups <= SPF_LOOKUP_LIMIT) {
    const verdict = await input.covers(domain, sendingIp);
    if (verdict.result === 'pass') findings.push(ok(CHECK, `${domain} lets ${sendingIp} send (pass)`));
    else
      findings.push(
        fail(
          CHECK,
          `${domain} does not cover NEWSLETTER_SENDING_IP ${sendingIp} (${verdict.result}${verdict.explanation ? `: ${verdict.explanation}` : ''})`,
          'add the sending address to the record (or fix NEWSLETTER_SENDING_IP if the relay sends from another address)',
          { record: { name: domain, type: 'TXT', value: withIp(record, sendingIp) } },
        ),
      );
  } else if (!sendingIp)
    findings.push(
      warn(
        CHECK,
        'NEWSLETTER_SENDING_IP is not set, so whether SPF covers the relay is not checked',
        'set NEWSLETTER_SENDING_IP to the address your relay sends from (its SPF include or its documentation names it)',
      ),
    );
  return findings;
}

/** The record with its `all` replaced by `ending` (added when it has none). */
function replaceAll(record: string, ending: string): string {
  const parts = record.trim().split(/\s+/);
  const at = parts.findIndex((t) => parseTerm(t).name === 'all');
  if (at < 0) return [...parts, ending].join(' ');
  parts[at] = ending;
  return parts.join(' ');
}
