import { createHash } from 'node:crypto';
import { doIUseEmail } from '@jsx-email/doiuse-email';

/**
 * Which HTML and CSS features of an email the big four clients support, from the caniemail
 * data that `@jsx-email/doiuse-email` ships (offline, MIT, kept up by the jsx-email project).
 * The package answers in sentences; this module turns them into a table an editor can read.
 */
export const clientFamilies = ['gmail', 'outlook', 'apple-mail', 'yahoo'] as const;
export type ClientFamily = (typeof clientFamilies)[number];

export const familyNames: Record<ClientFamily, string> = {
  gmail: 'Gmail',
  outlook: 'Outlook',
  'apple-mail': 'Apple Mail',
  yahoo: 'Yahoo',
};

const variantNames: Record<string, string> = {
  'desktop-webmail': 'webmail',
  'mobile-webmail': 'mobile webmail',
  windows: 'Windows',
  'windows-mail': 'Windows Mail',
  macos: 'macOS',
  ios: 'iOS',
  android: 'Android',
};

export type SupportLevel = 'yes' | 'partial' | 'no';

export interface FamilySupport {
  /** The worst level over the family's apps. */
  level: SupportLevel;
  /** Apps without support, e.g. `Windows`, `mobile webmail`. */
  no: string[];
  /** Apps with partial or buggy support. */
  partial: string[];
}

export interface FeatureSupport {
  /** caniemail's name of the feature, e.g. `@media`, `outline`, `<body> element`. */
  feature: string;
  clients: Record<ClientFamily, FamilySupport>;
  /** caniemail's notes, `Outlook (Windows): Partial. Only supported on table cells.` */
  notes: string[];
}

export interface ClientSupport {
  /** Features some of the four do not fully support, worst first. Fully supported ones are left out. */
  features: FeatureSupport[];
}

const rank: Record<SupportLevel, number> = { yes: 0, partial: 1, no: 2 };

function split(client: string): { family: ClientFamily; app: string } | undefined {
  const [family, variant = ''] = client.split('.') as [string, string?];
  if (!(clientFamilies as readonly string[]).includes(family)) return undefined;
  return { family: family as ClientFamily, app: variantNames[variant] ?? variant };
}

const cache = new Map<string, ClientSupport>();

/** The support table of one finished email's HTML; cached by content (the check is the slow part). */
export function clientSupport(html: string): ClientSupport {
  const key = createHash('sha1').update(html).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const result = analyse(html);
  // Bounded: a long studio session re-renders often.
  if (cache.size > 300) cache.clear();
  cache.set(key, result);
  return result;
}

function analyse(html: string): ClientSupport {
  const answer = doIUseEmail(html, { emailClients: clientFamilies.map((f) => `${f}.*`) });
  const byFeature = new Map<string, FeatureSupport>();
  const entry = (feature: string) => {
    let f = byFeature.get(feature);
    if (!f) {
      const none = (): FamilySupport => ({ level: 'yes', no: [], partial: [] });
      const clients: Record<ClientFamily, FamilySupport> = {
        gmail: none(),
        outlook: none(),
        'apple-mail': none(),
        yahoo: none(),
      };
      f = { feature, clients, notes: [] };
      byFeature.set(feature, f);
    }
    return f;
  };
  const mark = (feature: string, client: string, level: 'no' | 'partial') => {
    const where = split(client);
    if (!where) return;
    const support = entry(feature).clients[where.family];
    const list = support[level];
    if (!list.includes(where.app)) list.push(where.app);
    if (rank[level] > rank[support.level]) support.level = level;
  };
  for (const line of 'errors' in answer ? answer.errors : []) {
    const m = /^`(.+)` is not supported by `(.+)`$/.exec(line);
    if (m) mark(m[1]!, m[2]!, 'no');
  }
  for (const line of answer.warnings) {
    const m = /^`(.+)` is only partially supported by `(.+)`$/.exec(line);
    if (m) mark(m[1]!, m[2]!, 'partial');
  }
  for (const line of answer.notes) {
    const m = /^Note about `(.+)` support for `(.+?)`: (.+)$/s.exec(line);
    if (!m) continue;
    const where = split(m[2]!);
    const f = byFeature.get(m[1]!);
    if (!where || !f) continue;
    const note = `${familyNames[where.family]} (${where.app}): ${m[3]!.trim()}`;
    if (!f.notes.includes(note)) f.notes.push(note);
  }
  const worst = (f: FeatureSupport) =>
    clientFamilies.reduce((n, c) => n + rank[f.clients[c].level] * 10 + f.clients[c].no.length, 0);
  return {
    features: [...byFeature.values()].sort((a, b) => worst(b) - worst(a) || a.feature.localeCompare(b.feature)),
  };
}

/** True when at least one app of one of the four families lacks the feature entirely. */
export function unsupportedSomewhere(f: FeatureSupport): boolean {
  return clientFamilies.some((c) => f.clients[c].level === 'no');
}

/** `Gmail (mobile webmail), Outlook (Windows, Windows Mail)`. */
export function describeClients(f: FeatureSupport, level: 'no' | 'partial'): string {
  return clientFamilies
    .filter((c) => f.clients[c][level].length)
    .map((c) => `${familyNames[c]} (${f.clients[c][level].join(', ')})`)
    .join(', ');
}
