import type { Dns } from './dns.ts';
import { aligned, organisationalDomain, type AlignmentMode } from './domains.ts';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'DMARC';
const POLICIES = ['none', 'quarantine', 'reject'];

export interface DmarcInput {
  fromDomain: string;
  /** SPF's identity: the envelope-from domain. */
  spfDomain: string;
  /** DKIM's identity: d=, when a key is configured. */
  dkimDomain?: string | undefined;
  dns: Dns;
}

/** `v=DMARC1; p=none; rua=mailto:…` as tags; v= must come first (RFC 7489 §6.4). */
function dmarcTags(record: string): Map<string, string> | undefined {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) tags.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const first = record.split(';')[0]?.replace(/\s+/g, '');
  return first === 'v=DMARC1' ? tags : undefined;
}

const modeOf = (tag: string | undefined): AlignmentMode => (tag?.toLowerCase() === 's' ? 'strict' : 'relaxed');

/** The records at _dmarc.<domain>, else at the organisational domain's (where receivers look next). */
async function lookup(dns: Dns, fromDomain: string): Promise<{ name: string; records: string[] }> {
  const own = `_dmarc.${fromDomain}`;
  const records = (await dns.txt(own)).filter((r) => /^v\s*=\s*DMARC1/i.test(r.trim()));
  const org = organisationalDomain(fromDomain);
  if (records.length || org === fromDomain) return { name: own, records };
  const name = `_dmarc.${org}`;
  return { name, records: (await dns.txt(name)).filter((r) => /^v\s*=\s*DMARC1/i.test(r.trim())) };
}

/** One identity's alignment, in both modes, judged by the mode the record asks for. */
function alignment(identity: string, fromDomain: string, mode: AlignmentMode) {
  const strict = aligned(identity, fromDomain, 'strict');
  const relaxed = aligned(identity, fromDomain, 'relaxed');
  return {
    passes: mode === 'strict' ? strict : relaxed,
    words: `strict ${strict ? 'yes' : 'no'}, relaxed ${relaxed ? 'yes' : 'no'}`,
  };
}

/**
 * The From domain's DMARC record: present and valid, its policy, whether SPF's and DKIM's
 * identities align with From in the mode it asks for (relaxed and strict shown), and rua=.
 */
export async function checkDmarc(input: DmarcInput): Promise<Finding[]> {
  const { fromDomain, dns } = input;
  const suggested = {
    name: `_dmarc.${fromDomain}`,
    type: 'TXT' as const,
    value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${fromDomain}`,
  };
  const { name, records } = await lookup(dns, fromDomain);
  if (records.length === 0)
    return [
      fail(
        CHECK,
        `_dmarc.${fromDomain} has no DMARC record (Gmail and Yahoo require one of bulk senders)`,
        'publish this TXT record; once its reports show only your own mail, raise p=none to p=quarantine',
        { record: suggested },
      ),
    ];
  if (records.length > 1)
    return [
      fail(CHECK, `${name} has ${records.length} DMARC records; receivers then apply none`, 'keep only one', {
        record: suggested,
        detail: records.map((r) => `found: "${r}"`),
      }),
    ];
  const record = records[0]!;
  const tags = dmarcTags(record);
  const policy = tags?.get('p')?.toLowerCase();
  if (!tags || !policy || !POLICIES.includes(policy))
    return [
      fail(
        CHECK,
        `${name} "${record}" is not valid: it must start with v=DMARC1 and give p=none, quarantine or reject`,
        'replace it with this record',
        { record: suggested },
      ),
    ];
  const findings: Finding[] = [];
  const monitoring = policy === 'none' ? ' (reports only; raise to p=quarantine once they show only your mail)' : '';
  findings.push(ok(CHECK, `${name}: policy p=${policy}${monitoring}`));
  const rua = tags.get('rua');
  if (rua) findings.push(ok(CHECK, `aggregate reports go to ${rua}`));
  else
    findings.push(
      warn(CHECK, 'no rua=, so nobody learns who sends as your domain or whose mail fails', 'add rua= to the record', {
        record: { name, type: 'TXT', value: `${record.replace(/;?\s*$/, '')}; rua=mailto:dmarc-reports@${fromDomain}` },
      }),
    );
  findings.push(...alignments(input, tags));
  return findings;
}

/** SPF's and DKIM's identities against From, in the modes the record asks (aspf=, adkim=). */
function alignments(input: DmarcInput, tags: Map<string, string>): Finding[] {
  const { fromDomain, spfDomain, dkimDomain } = input;
  const findings: Finding[] = [];
  const spfMode = modeOf(tags.get('aspf'));
  const dkimMode = modeOf(tags.get('adkim'));
  const spf = alignment(spfDomain, fromDomain, spfMode);
  const dkim = dkimDomain ? alignment(dkimDomain, fromDomain, dkimMode) : undefined;
  const anyAligned = spf.passes || Boolean(dkim?.passes);
  const line = (what: string, identity: string, a: { passes: boolean; words: string }, mode: AlignmentMode) =>
    `${what} ${identity} with From ${fromDomain}: ${a.words}; the record asks ${mode} (${what === 'SPF' ? 'aspf' : 'adkim'}=${mode[0]})`;
  const verdict = (a: { passes: boolean }, what: string, fix: string, message: string) =>
    a.passes ? ok(CHECK, message) : anyAligned ? warn(CHECK, message, fix) : fail(CHECK, message, fix);
  findings.push(
    verdict(
      spf,
      'SPF',
      `send with NEWSLETTER_BOUNCE_ADDRESS on ${fromDomain} (or a subdomain of it${spfMode === 'strict' ? ', with aspf=r' : ''})`,
      line('SPF', spfDomain, spf, spfMode),
    ),
  );
  if (dkim && dkimDomain)
    findings.push(
      verdict(
        dkim,
        'DKIM',
        `sign with NEWSLETTER_DKIM_DOMAIN=${fromDomain}`,
        line('DKIM', `d=${dkimDomain}`, dkim, dkimMode),
      ),
    );
  else if (!spf.passes)
    findings.push(
      fail(
        CHECK,
        'neither SPF nor DKIM is aligned with From, so DMARC fails',
        'configure DKIM signing with NEWSLETTER_DKIM_DOMAIN=' + fromDomain,
      ),
    );
  return findings;
}
