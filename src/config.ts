import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isIP } from 'node:net';
import { parseEnv } from 'node:util';
import { IANAZone } from 'luxon';
import { validate as validCron } from 'node-cron';
import { ConfigError } from './errors.ts';

/**
 * The environment, validated once at start-up (content/series.yml is read by `content/`).
 * A bad value stops with one line: the variable, what is wrong, and an example of a good value.
 * Secrets are never echoed.
 */
export interface Config {
  rootDir: string;
  contentDir: string;
  templatesDir: string;
  /** Compiled content and emails kept between runs (default `<rootDir>/.cache/compiled`); false: none. */
  cacheDir?: string | false;
  database: DatabaseConfig;
  smtpUrl?: string;
  /** NEWSLETTER_SMTP_AUTH_WITHOUT_TLS: log in to a non-loopback relay that offers no TLS (a trusted private network). */
  smtpAuthWithoutTls?: boolean;
  smtpPool: number;
  /** Most messages per second over all connections. */
  rate?: number;
  outboxDir: string;
  /** NEWSLETTER_OUTBOX_DIR was set: in production the outbox transport is used only then. */
  outboxChosen?: true;
  /** Overrides the series' sender, `Name <address>`. */
  from?: string;
  baseUrl: string;
  cron: string;
  timezone: string;
  port: number;
  host: string;
  /** Behind a reverse proxy: take the client's IP from X-Forwarded-For (for rate limits). */
  trustProxy: boolean;
  production: boolean;
  dkim?: { domain: string; selector: string; keyFile: string };
  /** NEWSLETTER_SECRET as given; use `resolveSecret` for the key. */
  secretFromEnv?: string;
  /** NEWSLETTER_SECRET_PREVIOUS: the key before a rotation; it still verifies links, never signs. */
  previousSecretFromEnv?: string;
  /** NEWSLETTER_LOG_LEVEL: the least severe structured log line written. */
  logLevel: LogLevel;
  /** NEWSLETTER_METRICS_TOKEN: GET /metrics answers only with it as a bearer token; unset, not at all. */
  metricsToken?: string;
  /** NEWSLETTER_METRICS_PORT: where a `--role sender` process (no public site) serves GET /metrics. */
  metricsPort: number;
  /** NEWSLETTER_BOUNCE_ADDRESS: tips go out with the envelope sender `local+<signed id>@domain`. */
  bounceAddress?: string;
  /** NEWSLETTER_BOUNCE_IMAP_URL: the mailbox the sender polls for bounces and complaints. */
  bounceImapUrl?: string;
  /** NEWSLETTER_WEBHOOK_POSTMARK_AUTH: `user:pass` Postmark's webhook must send (basic auth). */
  webhookPostmarkAuth?: string;
  /** NEWSLETTER_WEBHOOK_MAILGUN_KEY: the HTTP webhook signing key Mailgun signs events with. */
  webhookMailgunKey?: string;
  /** NEWSLETTER_CONFIRMATION_QUEUE: most confirmations waiting unsent before POST /subscribe answers 503. */
  confirmationQueue: number;
  /**
   * NEWSLETTER_DNS_SERVERS: the resolvers `doctor` and the provider lookups ask (comma-separated
   * `ip` or `ip:port`); unset, the system's. Tests and split-horizon setups point it at their own.
   */
  dnsServers?: string[];
  /**
   * NEWSLETTER_SITE_LEASE_SECONDS: how long a sender holds one of a site's connection slots
   * without renewing it (PostgreSQL); a crashed sender's slots come back after this.
   */
  siteLeaseSeconds: number;
  /**
   * NEWSLETTER_SENDING_IP: the address the relay sends from, as receivers see it; `doctor` checks
   * that SPF covers it and verifies a signed week 1 as a receiver would from it.
   */
  sendingIp?: string;
  /** The complaint and bounce guard's lines (NEWSLETTER_GUARD_*): see `GuardThresholds`. */
  guard: GuardThresholds;
  /**
   * NEWSLETTER_CFBL_ADDRESS: RFC 9477 complaint feedback address, sent as `CFBL-Address` on every
   * tip (with a signed `CFBL-Feedback-ID`); mailbox providers send ARF complaints there.
   */
  cfblAddress?: string;
}

/**
 * When the complaint and bounce guard warns and when it pauses tip sends (rates as fractions:
 * 0.003 is 0.3 %), over the delivered tips of the last 30 days. Below `minDelivered` delivered
 * in the window a rate only ever warns: a few complaints on a small list say little.
 */
export interface GuardThresholds {
  complaintWarn: number;
  complaintPause: number;
  bounceWarn: number;
  bouncePause: number;
  minDelivered: number;
}

/** Gmail's and Yahoo's lines for bulk senders (0.1 % aim, 0.3 % never) and the usual 2 % / 5 % for hard bounces. */
export const DEFAULT_GUARD: GuardThresholds = {
  complaintWarn: 0.001,
  complaintPause: 0.003,
  bounceWarn: 0.02,
  bouncePause: 0.05,
  minDelivered: 1000,
};

/** Room for `+<token>` (about 40 characters) within a local part's 64. */
const MAX_BOUNCE_LOCAL = 20;

/** pino's levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A metrics token shorter than this is guessable by anyone who can reach the site. */
const MIN_METRICS_TOKEN = 16;

/**
 * Where the subscriber store lives: an SQLite file (the embedded default), or a PostgreSQL
 * database that any number of processes share, each with a pool of `pool` connections.
 */
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; pool: number };

/** The database for messages and logs: the file, or the URL with its password masked. */
export function describeDatabase(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? database.file : maskPassword(database.url);
}

/** A password may sit in the user part or, for PostgreSQL, in a `password=` parameter. */
function maskPassword(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

export { ConfigError };

type Env = Record<string, string | undefined>;

/**
 * `.env` in the working folder, under the real environment (which wins). Node's own parser reads
 * it as dotenv did (quotes, `export`, comments, multi-line values); a byte-order mark from a
 * Windows editor is dropped, which dotenv did too and Node does not.
 */
export function readEnv(rootDir: string, env: Env = process.env): Env {
  const file = path.join(rootDir, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) : {};
  return { ...fromFile, ...env };
}

/** What every variable's parser sees: the environment, trimmed, and how to refuse a value. */
interface Vars {
  rootDir: string;
  /** NODE_ENV=production: some defaults change and NEWSLETTER_SECRET is required. */
  production: boolean;
  /** The variable's value, trimmed; undefined when unset or blank. */
  get(name: string): string | undefined;
  /** Stops with one line: the variable, the problem, the value (only when `shown` is given) and an example. */
  bad(name: string, problem: string, example: string, shown?: string): never;
}

type Parser<K extends keyof Config> = (v: Vars) => Config[K];

/**
 * One parser per field of Config, each reading its own variable(s) with its default and its
 * checks. The first bad value stops loading, in this order; an undefined result leaves the
 * (optional) field out.
 */
const PARSERS: { [K in keyof Config]-?: Parser<K> } = {
  rootDir: (v) => v.rootDir,
  contentDir: (v) => path.join(v.rootDir, 'content'),
  templatesDir: (v) => path.join(v.rootDir, 'templates'),
  production: (v) => v.production,
  database: (v) =>
    databaseFrom(
      v.get('NEWSLETTER_DATABASE_URL') ?? 'sqlite:subscribers/newsletter.db',
      int(v, 'NEWSLETTER_DATABASE_POOL', 10, 1, 1000, '10'),
      v.rootDir,
      v.bad,
    ),
  smtpUrl: readSmtpUrl,
  smtpAuthWithoutTls: (v) => flag(v, 'NEWSLETTER_SMTP_AUTH_WITHOUT_TLS', 'must be 1 or 0', '1') || undefined,
  rate: readRate,
  from: readFrom,
  port: (v) => int(v, 'PORT', 3000, 0, 65535, '3000'),
  baseUrl: readBaseUrl,
  cron: readCron,
  timezone: readTimezone,
  // Outside production the site (and its readers' data) stays on this machine unless HOST says
  // otherwise; a production host or container is meant to be reached.
  host: (v) => v.get('HOST') ?? (v.production ? '0.0.0.0' : '127.0.0.1'),
  trustProxy: (v) => flag(v, 'NEWSLETTER_TRUST_PROXY', 'must be true or false', 'true'),
  secretFromEnv: readSecret,
  previousSecretFromEnv: readPreviousSecret,
  logLevel: readLogLevel,
  metricsToken: readMetricsToken,
  metricsPort: (v) => int(v, 'NEWSLETTER_METRICS_PORT', 9464, 0, 65535, '9464'),
  cacheDir: readCacheDir,
  dkim: readDkim,
  bounceAddress: readBounceAddress,
  bounceImapUrl: readBounceImapUrl,
  webhookPostmarkAuth: readPostmarkAuth,
  webhookMailgunKey: readMailgunKey,
  smtpPool: (v) => int(v, 'NEWSLETTER_SMTP_POOL', 5, 1, 50, '5'),
  outboxDir: (v) => path.resolve(v.rootDir, v.get('NEWSLETTER_OUTBOX_DIR') ?? 'outbox'),
  outboxChosen: (v) => (v.get('NEWSLETTER_OUTBOX_DIR') ? true : undefined),
  confirmationQueue: (v) => int(v, 'NEWSLETTER_CONFIRMATION_QUEUE', 1000, 1, 1_000_000, '1000'),
  dnsServers: readDnsServers,
  siteLeaseSeconds: (v) => int(v, 'NEWSLETTER_SITE_LEASE_SECONDS', 30, 1, 3600, '30'),
  sendingIp: readSendingIp,
  guard: readGuard,
  cfblAddress: readCfblAddress,
};

export function loadConfig(env: Env, rootDir = process.cwd()): Config {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const bad = (name: string, problem: string, example: string, shown?: string): never => {
    throw new ConfigError(
      `${name}: ${problem}${shown === undefined ? '' : ` (got "${shown}")`}; e.g. ${name}=${example}`,
    );
  };
  const vars: Vars = { rootDir, production: get('NODE_ENV') === 'production', get, bad };
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const [field, parse] of Object.entries(PARSERS) as [keyof Config, (v: Vars) => unknown][]) {
    const value = parse(vars);
    if (value !== undefined) config[field] = value;
  }
  // Every field has a parser (PARSERS' type), and only optional fields' parsers return undefined.
  return config as Config;
}

/** A whole number within bounds, or the fallback when unset. */
function int(v: Vars, name: string, fallback: number, min: number, max: number, example: string): number {
  const raw = v.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    v.bad(name, `must be a whole number from ${min} to ${max}`, example, raw);
  return n;
}

/** true/1 or false/0; unset is false. */
function flag(v: Vars, name: string, problem: string, example: string): boolean {
  const raw = v.get(name) ?? '0';
  if (!/^(1|0|true|false)$/.test(raw)) v.bad(name, problem, example, raw);
  return raw === '1' || raw === 'true';
}

function readSmtpUrl(v: Vars): string | undefined {
  const smtpUrl = v.get('NEWSLETTER_SMTP_URL');
  const problem = smtpUrl === undefined ? undefined : smtpUrlProblem(smtpUrl);
  // Shown with its password masked.
  if (problem)
    v.bad(
      'NEWSLETTER_SMTP_URL',
      `must be smtp://user:pass@host:587 or smtps://user:pass@host:465 (${problem})`,
      'smtp://user:pass@smtp.example.org:587',
      maskPassword(smtpUrl!),
    );
  return smtpUrl;
}

function readRate(v: Vars): number | undefined {
  const raw = v.get('NEWSLETTER_RATE');
  if (raw === undefined) return undefined;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000)
    v.bad('NEWSLETTER_RATE', 'must be a number of messages per second above 0', '10', raw);
  return rate;
}

const ADDRESS_OR_NAMED = /^(.*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/;

function readFrom(v: Vars): string | undefined {
  const from = v.get('NEWSLETTER_FROM');
  if (from !== undefined && !ADDRESS_OR_NAMED.test(from))
    v.bad('NEWSLETTER_FROM', 'must be an address or Name <address>', '"Night Cramp Weekly <tips@example.org>"', from);
  return from;
}

function readBaseUrl(v: Vars): string {
  // Unset, links point at this machine's own site, on whatever port it listens.
  const raw = v.get('NEWSLETTER_BASE_URL') ?? `http://localhost:${PARSERS.port(v) || 3000}`;
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash)
    return v.bad(
      'NEWSLETTER_BASE_URL',
      'must be an http(s) address without query',
      'https://newsletter.example.org',
      raw,
    );
  return u.toString().replace(/\/+$/, '');
}

function readCron(v: Vars): string {
  const cron = v.get('NEWSLETTER_CRON') ?? '*/15 * * * *';
  if (!validCron(cron)) v.bad('NEWSLETTER_CRON', 'is not a valid cron expression', '"*/15 * * * *"', cron);
  return cron;
}

function readTimezone(v: Vars): string {
  const timezone = v.get('NEWSLETTER_TIMEZONE') ?? 'UTC';
  if (!IANAZone.isValidZone(timezone))
    v.bad('NEWSLETTER_TIMEZONE', 'must be an IANA time zone', 'Europe/London', timezone);
  return timezone;
}

/** A signing key is never shown, only its length judged. */
function readSecret(v: Vars): string | undefined {
  const secret = v.get('NEWSLETTER_SECRET');
  if (secret !== undefined && Buffer.byteLength(secret) < 32)
    v.bad('NEWSLETTER_SECRET', 'must be at least 32 bytes', '$(openssl rand -hex 32)');
  if (v.production && secret === undefined)
    v.bad('NEWSLETTER_SECRET', 'is required when NODE_ENV=production (at least 32 bytes)', '$(openssl rand -hex 32)');
  return secret;
}

function readPreviousSecret(v: Vars): string | undefined {
  const previous = v.get('NEWSLETTER_SECRET_PREVIOUS');
  if (previous !== undefined && Buffer.byteLength(previous) < 32)
    v.bad(
      'NEWSLETTER_SECRET_PREVIOUS',
      'must be at least 32 bytes (the old NEWSLETTER_SECRET, as it was)',
      '<the key you used before>',
    );
  return previous;
}

function readLogLevel(v: Vars): LogLevel {
  const level = (v.get('NEWSLETTER_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    v.bad('NEWSLETTER_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`, 'info', v.get('NEWSLETTER_LOG_LEVEL'));
  return level as LogLevel;
}

/** The token is a secret: never shown. */
function readMetricsToken(v: Vars): string | undefined {
  const token = v.get('NEWSLETTER_METRICS_TOKEN');
  if (token !== undefined && (token.length < MIN_METRICS_TOKEN || /\s/.test(token)))
    v.bad(
      'NEWSLETTER_METRICS_TOKEN',
      `must be at least ${MIN_METRICS_TOKEN} characters without spaces`,
      '$(openssl rand -hex 24)',
    );
  return token;
}

function readCacheDir(v: Vars): string | false | undefined {
  const raw = v.get('NEWSLETTER_CACHE_DIR');
  return raw === undefined ? undefined : raw === 'off' ? false : path.resolve(v.rootDir, raw);
}

/** The three DKIM variables go together. */
function readDkim(v: Vars): Config['dkim'] {
  const domain = v.get('NEWSLETTER_DKIM_DOMAIN');
  const selector = v.get('NEWSLETTER_DKIM_SELECTOR');
  const keyFile = v.get('NEWSLETTER_DKIM_KEY_FILE');
  const set = [domain, selector, keyFile].filter((x) => x !== undefined).length;
  if (set > 0 && set < 3)
    v.bad(
      'NEWSLETTER_DKIM_KEY_FILE',
      'DKIM needs NEWSLETTER_DKIM_DOMAIN, NEWSLETTER_DKIM_SELECTOR and NEWSLETTER_DKIM_KEY_FILE together',
      'dkim/private.pem',
    );
  if (!domain || !selector || !keyFile) return undefined;
  if (!existsSync(path.resolve(v.rootDir, keyFile)))
    v.bad('NEWSLETTER_DKIM_KEY_FILE', 'file not found', 'dkim/private.pem', keyFile);
  return { domain, selector, keyFile: path.resolve(v.rootDir, keyFile) };
}

function readBounceAddress(v: Vars): string | undefined {
  const address = v.get('NEWSLETTER_BOUNCE_ADDRESS');
  if (address === undefined) return undefined;
  const m = /^([A-Za-z0-9._-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/.exec(address);
  if (!m)
    v.bad('NEWSLETTER_BOUNCE_ADDRESS', 'must be a plain address without + or a name', 'bounces@example.org', address);
  if (m[1]!.length > MAX_BOUNCE_LOCAL)
    v.bad(
      'NEWSLETTER_BOUNCE_ADDRESS',
      `the part before @ must be at most ${MAX_BOUNCE_LOCAL} characters (the signed id needs the rest of 64)`,
      'bounces@example.org',
      address,
    );
  return address;
}

/** Holds a password: never shown. */
function readBounceImapUrl(v: Vars): string | undefined {
  const url = v.get('NEWSLETTER_BOUNCE_IMAP_URL');
  if (url === undefined) return undefined;
  let ok: boolean;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'imap:' || u.protocol === 'imaps:') && u.hostname !== '' && u.username !== '';
  } catch {
    ok = false;
  }
  if (!ok)
    v.bad(
      'NEWSLETTER_BOUNCE_IMAP_URL',
      'must be imaps://user:pass@host:993/INBOX (or imap:// on a trusted network)',
      'imaps://bounces:secret@imap.example.org:993/INBOX',
    );
  return url;
}

function readPostmarkAuth(v: Vars): string | undefined {
  const auth = v.get('NEWSLETTER_WEBHOOK_POSTMARK_AUTH');
  if (auth !== undefined && !/^[^:\s]+:\S{12,}$/.test(auth))
    v.bad(
      'NEWSLETTER_WEBHOOK_POSTMARK_AUTH',
      'must be user:password, the password at least 12 characters without spaces',
      'postmark:$(openssl rand -hex 16)',
    );
  return auth;
}

function readMailgunKey(v: Vars): string | undefined {
  const key = v.get('NEWSLETTER_WEBHOOK_MAILGUN_KEY');
  if (key !== undefined && (key.length < 16 || /\s/.test(key)))
    v.bad(
      'NEWSLETTER_WEBHOOK_MAILGUN_KEY',
      "must be Mailgun's HTTP webhook signing key (at least 16 characters, no spaces)",
      'key-0123456789abcdef0123456789abcdef',
    );
  return key;
}

/**
 * What is wrong with an SMTP URL, if anything. Only scheme, credentials, host and port mean
 * something to the mailer: a path, a query or a fragment would be dropped without a word (and
 * `host:` with no port silently became 587), so they are refused instead.
 */
function smtpUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    return `the scheme is ${u.protocol.replace(/:$/, '') || 'missing'}`;
  if (u.hostname === '') return 'no host';
  // The URL parser reads `host:` and `host:/x` as "no port": only the text tells.
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (/:$/.test(hostAndPort)) return 'an empty port: give a number or leave out the colon';
  if (u.port === '0') return 'port 0';
  if (u.pathname !== '' && u.pathname !== '/') return 'a path, which SMTP has no use for';
  if (u.search !== '' || raw.includes('?')) return 'a query, which is not read';
  if (u.hash !== '' || raw.includes('#')) return 'a fragment';
  return undefined;
}

/**
 * A database URL given as a command's argument (`db copy`), read by the same rules as
 * NEWSLETTER_DATABASE_URL; a bad one is a ConfigError that names `name`, password masked.
 */
export function databaseFromUrl(url: string, options: { rootDir: string; pool: number; name: string }): DatabaseConfig {
  const bad = (_variable: string, problem: string, example: string, shown?: string): never => {
    throw new ConfigError(
      `${options.name}: ${problem}${shown === undefined ? '' : ` (got "${shown}")`}; e.g. ${example}`,
    );
  };
  return databaseFrom(url, options.pool, options.rootDir, bad);
}

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

function databaseFrom(
  url: string,
  pool: number,
  rootDir: string,
  bad: (name: string, problem: string, example: string, shown?: string) => never,
): DatabaseConfig {
  const name = 'NEWSLETTER_DATABASE_URL';
  if (/^postgres(ql)?:/i.test(url)) {
    const example = 'postgres://newsletter:secret@db.example.org:5432/newsletter';
    // Shown only masked: the URL usually carries the password.
    const shown = maskPassword(url);
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return bad(name, 'is not a valid PostgreSQL URL', example, shown);
    }
    // A Unix socket is named by ?host=/path, with the URL's host left empty.
    if (u.hostname === '' && !u.searchParams.get('host')) bad(name, 'needs a host', example, shown);
    if (u.pathname.replace(/^\//, '') === '') bad(name, 'needs a database name after the host', example, shown);
    const sslmode = u.searchParams.get('sslmode');
    if (sslmode !== null && !SSL_MODES.includes(sslmode))
      bad(name, `sslmode must be one of ${SSL_MODES.join(', ')}`, `${example}?sslmode=require`, shown);
    return { kind: 'postgres', url, pool };
  }
  if (!url.startsWith('sqlite:') || url.length <= 'sqlite:'.length) {
    bad(
      name,
      'must be sqlite:PATH or postgres://user:pass@host:5432/db',
      'sqlite:subscribers/newsletter.db',
      maskPassword(url),
    );
  }
  const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(rootDir, file) };
}

/**
 * Where the generated link-signing key lives: next to the SQLite database (`.secret` in its
 * folder; for the default database that is `subscribers/.secret`, where it always was), so a
 * copy of that folder carries the key with the readers it signs for. With PostgreSQL (or an
 * in-memory database) there is no database folder: `subscribers/.secret` in the working folder,
 * and several machines must share one key through NEWSLETTER_SECRET instead.
 */
export function secretFile(config: Pick<Config, 'rootDir' | 'database'>): string {
  const { database } = config;
  return database.kind === 'sqlite' && database.file !== ':memory:'
    ? path.join(path.dirname(database.file), '.secret')
    : legacySecretFile(config);
}

/**
 * The data directory: the folder of the SQLite database (`subscribers/` by default), or
 * `subscribers/` in the working folder with PostgreSQL. State that is not in the database and is
 * not worth a table (the last link check's results) is kept here, beside the signing key.
 */
export function dataDir(config: Pick<Config, 'rootDir' | 'database'>): string {
  return path.dirname(secretFile(config));
}

/** Before keys moved next to the database, every install kept its key here. */
function legacySecretFile(config: Pick<Config, 'rootDir'>): string {
  return path.join(config.rootDir, 'subscribers', '.secret');
}

const NEW_KEY_HINT = 'openssl rand -hex 32';

/** The stored key, undefined when there is none; a key file that cannot be a key stops with one line. */
function readSecretFile(config: Pick<Config, 'rootDir'>, file: string): string | undefined {
  const shown = path.relative(config.rootDir, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR')
      throw new ConfigError(
        `${shown}: is a folder, not the link-signing key file; move the folder away and restore the key file from a backup, or set NEWSLETTER_SECRET to the key`,
      );
    if (code === 'ENOTDIR')
      throw new ConfigError(
        `${shown}: a file stands where its folder should be; move it away, or set NEWSLETTER_SECRET`,
      );
    throw new ConfigError(
      `${shown}: the link-signing key cannot be read (${code ?? (e as Error).message}); fix its permissions (owner read, mode 600), or set NEWSLETTER_SECRET`,
    );
  }
  const stored = text.trim();
  if (Buffer.byteLength(stored) < 32) {
    throw new ConfigError(
      `${shown}: the stored link-signing key is shorter than 32 bytes; restore the file from a backup, or write a new key with \`${NEW_KEY_HINT} > ${shown}\` (links already sent stop working), or set NEWSLETTER_SECRET`,
    );
  }
  return stored;
}

/** The stored key if there is one (no key is made here); a key file that cannot be a key stops with one line. */
export function storedSecret(config: Config): string | undefined {
  return config.secretFromEnv ?? readSecretFile(config, secretFile(config));
}

/** NEWSLETTER_SECRET_PREVIOUS: a key links were signed with before a rotation; they verify until they expire. */
export function previousSecrets(config: Pick<Config, 'previousSecretFromEnv'>): string[] {
  return config.previousSecretFromEnv ? [config.previousSecretFromEnv] : [];
}

/**
 * The key that signs links: NEWSLETTER_SECRET, or the stored key next to the database (read
 * from the old place `subscribers/.secret` and copied next to the database when only the old
 * place has it). A new key is made (mode 600) only for a database without readers:
 * `readersExist` true and no key stops with one line saying how to restore or rotate, because
 * a new key would silently break every link already sent.
 */
export function resolveSecret(config: Config, options: { readersExist?: boolean } = {}): string {
  if (config.secretFromEnv) return config.secretFromEnv;
  const file = secretFile(config);
  const stored = readSecretFile(config, file);
  if (stored !== undefined) return stored;
  const legacy = legacySecretFile(config);
  const old = legacy === file ? undefined : readSecretFile(config, legacy);
  const shown = path.relative(config.rootDir, file) || file;
  if (old === undefined && options.readersExist) {
    throw new ConfigError(
      `${shown}: the link-signing key is missing but the database has readers, so a new key would break every link already sent; restore the file from a backup (or set NEWSLETTER_SECRET to the key), or if the key is lost for good, rotate: \`${NEW_KEY_HINT} > ${shown} && chmod 600 ${shown}\``,
    );
  }
  const secret = old ?? randomBytes(32).toString('hex');
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Another process made it first: theirs is the key.
    if (code === 'EEXIST') return readSecretFile(config, file) ?? secret;
    throw new ConfigError(
      `${shown}: the link-signing key cannot be written (${code === 'EROFS' ? 'read-only file system' : code === 'ENOSPC' ? 'disk full' : (code ?? (e as Error).message)}); make the folder writable, or set NEWSLETTER_SECRET`,
    );
  }
  return secret;
}

/** `1.1.1.1`, `[::1]:5353` or `127.0.0.1:5353`, comma-separated; node:dns takes each as written. */
function readDnsServers(v: Vars): string[] | undefined {
  const raw = v.get('NEWSLETTER_DNS_SERVERS');
  if (raw === undefined) return undefined;
  const servers = raw.split(',').map((s) => s.trim());
  const ip = (s: string) => isIP(s) !== 0;
  const valid = (s: string) => {
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
    if (bracketed) return isIP(bracketed[1]!) === 6 && (!bracketed[2] || Number(bracketed[2]) <= 65535);
    const hostPort = /^([^:]+):(\d{1,5})$/.exec(s);
    if (hostPort) return isIP(hostPort[1]!) === 4 && Number(hostPort[2]) <= 65535;
    return ip(s);
  };
  const wrong = servers.find((s) => !valid(s));
  if (wrong !== undefined)
    v.bad(
      'NEWSLETTER_DNS_SERVERS',
      'must be IP addresses, each optionally with :port, comma-separated',
      '127.0.0.1:5353',
      wrong,
    );
  return servers;
}

/** One IPv4 or IPv6 address, as SPF's ip4:/ip6: would name it. */
function readSendingIp(v: Vars): string | undefined {
  const raw = v.get('NEWSLETTER_SENDING_IP');
  if (raw !== undefined && isIP(raw) === 0)
    v.bad('NEWSLETTER_SENDING_IP', "must be the relay's outgoing IPv4 or IPv6 address", '203.0.113.25', raw);
  return raw;
}

/** A percentage, `0.3` or `0.3%`, as a fraction; the fallback (a fraction) when unset. */
function percentage(v: Vars, name: string, fallback: number, example: string): number {
  const raw = v.get(name);
  if (raw === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n <= 100)) v.bad(name, 'must be a percentage above 0 and at most 100', example, raw);
  return n / 100;
}

/** The guard's four lines and its minimum; each warning line must sit at or below its pause line. */
function readGuard(v: Vars): GuardThresholds {
  const d = DEFAULT_GUARD;
  const guard: GuardThresholds = {
    complaintWarn: percentage(v, 'NEWSLETTER_GUARD_COMPLAINT_WARN', d.complaintWarn, '0.1'),
    complaintPause: percentage(v, 'NEWSLETTER_GUARD_COMPLAINT_PAUSE', d.complaintPause, '0.3'),
    bounceWarn: percentage(v, 'NEWSLETTER_GUARD_BOUNCE_WARN', d.bounceWarn, '2'),
    bouncePause: percentage(v, 'NEWSLETTER_GUARD_BOUNCE_PAUSE', d.bouncePause, '5'),
    minDelivered: int(v, 'NEWSLETTER_GUARD_MIN_DELIVERED', d.minDelivered, 1, 100_000_000, '1000'),
  };
  if (guard.complaintWarn > guard.complaintPause)
    v.bad(
      'NEWSLETTER_GUARD_COMPLAINT_WARN',
      `must not be above NEWSLETTER_GUARD_COMPLAINT_PAUSE (${guard.complaintPause * 100})`,
      '0.1',
      v.get('NEWSLETTER_GUARD_COMPLAINT_WARN') ?? String(guard.complaintWarn * 100),
    );
  if (guard.bounceWarn > guard.bouncePause)
    v.bad(
      'NEWSLETTER_GUARD_BOUNCE_WARN',
      `must not be above NEWSLETTER_GUARD_BOUNCE_PAUSE (${guard.bouncePause * 100})`,
      '2',
      v.get('NEWSLETTER_GUARD_BOUNCE_WARN') ?? String(guard.bounceWarn * 100),
    );
  return guard;
}

/**
 * RFC 9477: a plain address. Receivers honour it only when a DKIM signature covers it and the
 * signing domain aligns with the address's domain, so with DKIM configured the two must align
 * (the same domain, or one a subdomain of the other).
 */
function readCfblAddress(v: Vars): string | undefined {
  const address = v.get('NEWSLETTER_CFBL_ADDRESS');
  if (address === undefined) return undefined;
  const m = /^[A-Za-z0-9._+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/.exec(address);
  if (!m) v.bad('NEWSLETTER_CFBL_ADDRESS', 'must be a plain address without a name', 'fbl@example.org', address);
  const dkimDomain = v.get('NEWSLETTER_DKIM_DOMAIN')?.toLowerCase();
  const domain = m[1]!.toLowerCase();
  const aligned = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
  if (dkimDomain !== undefined && !aligned(domain, dkimDomain))
    v.bad(
      'NEWSLETTER_CFBL_ADDRESS',
      `its domain must align with NEWSLETTER_DKIM_DOMAIN (${dkimDomain}): receivers ignore a CFBL-Address the DKIM signature's domain does not match`,
      `fbl@${dkimDomain}`,
      address,
    );
  return address;
}
