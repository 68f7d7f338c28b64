/**
 * A recipient's provider *site*: every domain whose mail goes to the same provider's servers
 * shares one site, so Gmail's limits and deferrals apply to gmail.com and to every company
 * domain hosted at Google alike (KumoMTA's "site name"). Known consumer domains map without a
 * lookup; others by their MX hosts, rolled up to google, microsoft, yahoo or apple, or else to
 * the MX host's registrable domain.
 */

/** The big providers by their MX hosts' domain (a host ends with one of these). */
const PROVIDER_MX: readonly { suffix: string; site: string }[] = [
  { suffix: 'google.com', site: 'google' },
  { suffix: 'googlemail.com', site: 'google' },
  { suffix: 'outlook.com', site: 'microsoft' },
  { suffix: 'hotmail.com', site: 'microsoft' },
  { suffix: 'yahoodns.net', site: 'yahoo' },
  { suffix: 'yahoo.com', site: 'yahoo' },
  { suffix: 'aol.com', site: 'yahoo' },
  { suffix: 'icloud.com', site: 'apple' },
  { suffix: 'me.com', site: 'apple' },
  { suffix: 'apple.com', site: 'apple' },
];

/** Consumer domains whose provider is known: no lookup. `hotmail.*`, `yahoo.*`, `live.*` by their first label. */
const CONSUMER_DOMAINS: Readonly<Record<string, string>> = {
  'gmail.com': 'google',
  'googlemail.com': 'google',
  'outlook.com': 'microsoft',
  'msn.com': 'microsoft',
  'passport.com': 'microsoft',
  'windowslive.com': 'microsoft',
  'aol.com': 'yahoo',
  'aim.com': 'yahoo',
  'ymail.com': 'yahoo',
  'rocketmail.com': 'yahoo',
  'icloud.com': 'apple',
  'me.com': 'apple',
  'mac.com': 'apple',
};
const CONSUMER_FIRST_LABEL: Readonly<Record<string, string>> = {
  hotmail: 'microsoft',
  live: 'microsoft',
  outlook: 'microsoft',
  yahoo: 'yahoo',
};

/** The site of a known consumer domain, or undefined when it takes a lookup. */
export function knownSite(domain: string): string | undefined {
  const d = domain.toLowerCase();
  const known = CONSUMER_DOMAINS[d];
  if (known) return known;
  const [first, ...rest] = d.split('.');
  // hotmail.co.uk, yahoo.fr, live.de: the first label and a country or generic ending.
  if (first && rest.length >= 1 && rest.length <= 2) return CONSUMER_FIRST_LABEL[first];
  return undefined;
}

/**
 * The site of a domain from its MX hosts (lowest preference first): a big provider's name, else
 * the first host's `registrable` part (registrable-domain.ts); the domain itself when it has none.
 */
export function siteOfMx(domain: string, mxHosts: readonly string[], registrable: (host: string) => string): string {
  const first = mxHosts.find((h) => h && h !== '.');
  if (!first) return domain.toLowerCase();
  const host = first.toLowerCase().replace(/\.$/, '');
  const provider = PROVIDER_MX.find(({ suffix }) => host === suffix || host.endsWith(`.${suffix}`));
  return provider ? provider.site : registrable(host);
}

/** The domain of an address (after the last @), lower-cased. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
