import type { Dns } from './dns.ts';
import { domainOfAddress } from './domains.ts';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'bounce domain';

/** Bounces come back to NEWSLETTER_BOUNCE_ADDRESS: its domain needs an MX (or nothing comes back). */
export async function checkBounceMx(bounceAddress: string | undefined, dns: Dns): Promise<Finding[]> {
  if (!bounceAddress)
    return [
      warn(
        CHECK,
        'NEWSLETTER_BOUNCE_ADDRESS is not set: bounces go to the From address and are not matched to readers',
        'set NEWSLETTER_BOUNCE_ADDRESS to a mailbox you read (e.g. bounces@your-domain) and poll it (NEWSLETTER_BOUNCE_IMAP_URL)',
      ),
    ];
  const domain = domainOfAddress(bounceAddress);
  const mx = await dns.mx(domain);
  if (mx.length === 0)
    return [
      fail(
        CHECK,
        `${domain} has no MX record, so bounces to ${bounceAddress} cannot be delivered`,
        `publish an MX record naming the server that takes mail for ${domain} (your mail provider names it)`,
        { record: { name: domain, type: 'MX', value: `10 <your mail server for ${domain}>.` } },
      ),
    ];
  const hosts = [...mx].sort((a, b) => a.priority - b.priority).map((m) => `${m.priority} ${m.exchange}`);
  return [ok(CHECK, `${domain} takes mail (MX ${hosts.join(', ')})`)];
}
