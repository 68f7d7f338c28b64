// ../../work/wt/h-studio/src/config.ts
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { isIP } from "node:net";
import { parseEnv } from "node:util";
import { IANAZone } from "luxon";
import { validate as validCron } from "node-cron";
import { ConfigError } from "./errors.js";
var MAX_BOUNCE_LOCAL = 20;
var LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
var MIN_METRICS_TOKEN = 16;
function describeDatabase(database) {
  return database.kind === "sqlite" ? database.file : maskPassword(database.url);
}
function maskPassword(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#]*@/i, "$1:***@").replace(/([?&]password=)[^&#]*/gi, "$1***");
}
function readEnv(rootDir, env = process.env) {
  const file = path.join(rootDir, ".env");
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) : {};
  return { ...fromFile, ...env };
}
var PARSERS = {
  rootDir: (v) => v.rootDir,
  contentDir: (v) => path.join(v.rootDir, "content"),
  templatesDir: (v) => path.join(v.rootDir, "templates"),
  production: (v) => v.production,
  database: (v) => databaseFrom(
    v.get("NEWSLETTER_DATABASE_URL") ?? "sqlite:subscribers/newsletter.db",
    int(v, "NEWSLETTER_DATABASE_POOL", 10, 1, 1e3, "10"),
    v.rootDir,
    v.bad
  ),
  smtpUrl: readSmtpUrl,
  smtpAuthWithoutTls: (v) => flag(v, "NEWSLETTER_SMTP_AUTH_WITHOUT_TLS", "must be 1 or 0", "1") || void 0,
  rate: readRate,
  from: readFrom,
  port: (v) => int(v, "PORT", 3e3, 0, 65535, "3000"),
  baseUrl: readBaseUrl,
  cron: readCron,
  timezone: readTimezone,
  // Outside production the site (and its readers' data) stays on this machine unless HOST says
  // otherwise; a production host or container is meant to be reached.
  host: (v) => v.get("HOST") ?? (v.production ? "0.0.0.0" : "127.0.0.1"),
  trustProxy: (v) => flag(v, "NEWSLETTER_TRUST_PROXY", "must be true or false", "true"),
  secretFromEnv: readSecret,
  previousSecretFromEnv: readPreviousSecret,
  logLevel: readLogLevel,
  metricsToken: readMetricsToken,
  metricsPort: (v) => int(v, "NEWSLETTER_METRICS_PORT", 9464, 0, 65535, "9464"),
  cacheDir: readCacheDir,
  dkim: readDkim,
  bounceAddress: readBounceAddress,
  bounceImapUrl: readBounceImapUrl,
  webhookPostmarkAuth: readPostmarkAuth,
  webhookMailgunKey: readMailgunKey,
  smtpPool: (v) => int(v, "NEWSLETTER_SMTP_POOL", 5, 1, 50, "5"),
  outboxDir: (v) => path.resolve(v.rootDir, v.get("NEWSLETTER_OUTBOX_DIR") ?? "outbox"),
  outboxChosen: (v) => v.get("NEWSLETTER_OUTBOX_DIR") ? true : void 0,
  confirmationQueue: (v) => int(v, "NEWSLETTER_CONFIRMATION_QUEUE", 1e3, 1, 1e6, "1000"),
  dnsServers: readDnsServers
};
function loadConfig(env, rootDir = process.cwd()) {
  const get = (name) => {
    const value = env[name];
    return value === void 0 || value.trim() === "" ? void 0 : value.trim();
  };
  const bad = (name, problem, example, shown) => {
    throw new ConfigError(
      `${name}: ${problem}${shown === void 0 ? "" : ` (got "${shown}")`}; e.g. ${name}=${example}`
    );
  };
  const vars = { rootDir, production: get("NODE_ENV") === "production", get, bad };
  const config = {};
  for (const [field, parse] of Object.entries(PARSERS)) {
    const value = parse(vars);
    if (value !== void 0) config[field] = value;
  }
  return config;
}
function int(v, name, fallback, min, max, example) {
  const raw = v.get(name);
  if (raw === void 0) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    v.bad(name, `must be a whole number from ${min} to ${max}`, example, raw);
  return n;
}
function flag(v, name, problem, example) {
  const raw = v.get(name) ?? "0";
  if (!/^(1|0|true|false)$/.test(raw)) v.bad(name, problem, example, raw);
  return raw === "1" || raw === "true";
}
function readSmtpUrl(v) {
  const smtpUrl = v.get("NEWSLETTER_SMTP_URL");
  const problem = smtpUrl === void 0 ? void 0 : smtpUrlProblem(smtpUrl);
  if (problem)
    v.bad(
      "NEWSLETTER_SMTP_URL",
      `must be smtp://user:pass@host:587 or smtps://user:pass@host:465 (${problem})`,
      "smtp://user:pass@smtp.example.org:587",
      maskPassword(smtpUrl)
    );
  return smtpUrl;
}
function readRate(v) {
  const raw = v.get("NEWSLETTER_RATE");
  if (raw === void 0) return void 0;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1e4)
    v.bad("NEWSLETTER_RATE", "must be a number of messages per second above 0", "10", raw);
  return rate;
}
var ADDRESS_OR_NAMED = /^(.*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/;
function readFrom(v) {
  const from = v.get("NEWSLETTER_FROM");
  if (from !== void 0 && !ADDRESS_OR_NAMED.test(from))
    v.bad("NEWSLETTER_FROM", "must be an address or Name <address>", '"Night Cramp Weekly <tips@example.org>"', from);
  return from;
}
function readBaseUrl(v) {
  const raw = v.get("NEWSLETTER_BASE_URL") ?? `http://localhost:${PARSERS.port(v) || 3e3}`;
  let u;
  try {
    u = new URL(raw);
  } catch {
    u = void 0;
  }
  if (!u || u.protocol !== "http:" && u.protocol !== "https:" || u.search || u.hash)
    return v.bad(
      "NEWSLETTER_BASE_URL",
      "must be an http(s) address without query",
      "https://newsletter.example.org",
      raw
    );
  return u.toString().replace(/\/+$/, "");
}
function readCron(v) {
  const cron = v.get("NEWSLETTER_CRON") ?? "*/15 * * * *";
  if (!validCron(cron)) v.bad("NEWSLETTER_CRON", "is not a valid cron expression", '"*/15 * * * *"', cron);
  return cron;
}
function readTimezone(v) {
  const timezone = v.get("NEWSLETTER_TIMEZONE") ?? "UTC";
  if (!IANAZone.isValidZone(timezone))
    v.bad("NEWSLETTER_TIMEZONE", "must be an IANA time zone", "Europe/London", timezone);
  return timezone;
}
function readSecret(v) {
  const secret = v.get("NEWSLETTER_SECRET");
  if (secret !== void 0 && Buffer.byteLength(secret) < 32)
    v.bad("NEWSLETTER_SECRET", "must be at least 32 bytes", "$(openssl rand -hex 32)");
  if (v.production && secret === void 0)
    v.bad("NEWSLETTER_SECRET", "is required when NODE_ENV=production (at least 32 bytes)", "$(openssl rand -hex 32)");
  return secret;
}
function readPreviousSecret(v) {
  const previous = v.get("NEWSLETTER_SECRET_PREVIOUS");
  if (previous !== void 0 && Buffer.byteLength(previous) < 32)
    v.bad(
      "NEWSLETTER_SECRET_PREVIOUS",
      "must be at least 32 bytes (the old NEWSLETTER_SECRET, as it was)",
      "<the key you used before>"
    );
  return previous;
}
function readLogLevel(v) {
  const level = (v.get("NEWSLETTER_LOG_LEVEL") ?? "info").toLowerCase();
  if (!LOG_LEVELS.includes(level))
    v.bad("NEWSLETTER_LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`, "info", v.get("NEWSLETTER_LOG_LEVEL"));
  return level;
}
function readMetricsToken(v) {
  const token = v.get("NEWSLETTER_METRICS_TOKEN");
  if (token !== void 0 && (token.length < MIN_METRICS_TOKEN || /\s/.test(token)))
    v.bad(
      "NEWSLETTER_METRICS_TOKEN",
      `must be at least ${MIN_METRICS_TOKEN} characters without spaces`,
      "$(openssl rand -hex 24)"
    );
  return token;
}
function readCacheDir(v) {
  const raw = v.get("NEWSLETTER_CACHE_DIR");
  return raw === void 0 ? void 0 : raw === "off" ? false : path.resolve(v.rootDir, raw);
}
function readDkim(v) {
  const domain = v.get("NEWSLETTER_DKIM_DOMAIN");
  const selector = v.get("NEWSLETTER_DKIM_SELECTOR");
  const keyFile = v.get("NEWSLETTER_DKIM_KEY_FILE");
  const set = [domain, selector, keyFile].filter((x) => x !== void 0).length;
  if (set > 0 && set < 3)
    v.bad(
      "NEWSLETTER_DKIM_KEY_FILE",
      "DKIM needs NEWSLETTER_DKIM_DOMAIN, NEWSLETTER_DKIM_SELECTOR and NEWSLETTER_DKIM_KEY_FILE together",
      "dkim/private.pem"
    );
  if (!domain || !selector || !keyFile) return void 0;
  if (!existsSync(path.resolve(v.rootDir, keyFile)))
    v.bad("NEWSLETTER_DKIM_KEY_FILE", "file not found", "dkim/private.pem", keyFile);
  return { domain, selector, keyFile: path.resolve(v.rootDir, keyFile) };
}
function readBounceAddress(v) {
  const address = v.get("NEWSLETTER_BOUNCE_ADDRESS");
  if (address === void 0) return void 0;
  const m = /^([A-Za-z0-9._-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/.exec(address);
  if (!m)
    v.bad("NEWSLETTER_BOUNCE_ADDRESS", "must be a plain address without + or a name", "bounces@example.org", address);
  if (m[1].length > MAX_BOUNCE_LOCAL)
    v.bad(
      "NEWSLETTER_BOUNCE_ADDRESS",
      `the part before @ must be at most ${MAX_BOUNCE_LOCAL} characters (the signed id needs the rest of 64)`,
      "bounces@example.org",
      address
    );
  return address;
}
function readBounceImapUrl(v) {
  const url = v.get("NEWSLETTER_BOUNCE_IMAP_URL");
  if (url === void 0) return void 0;
  let ok;
  try {
    const u = new URL(url);
    ok = (u.protocol === "imap:" || u.protocol === "imaps:") && u.hostname !== "" && u.username !== "";
  } catch {
    ok = false;
  }
  if (!ok)
    v.bad(
      "NEWSLETTER_BOUNCE_IMAP_URL",
      "must be imaps://user:pass@host:993/INBOX (or imap:// on a trusted network)",
      "imaps://bounces:secret@imap.example.org:993/INBOX"
    );
  return url;
}
function readPostmarkAuth(v) {
  const auth = v.get("NEWSLETTER_WEBHOOK_POSTMARK_AUTH");
  if (auth !== void 0 && !/^[^:\s]+:\S{12,}$/.test(auth))
    v.bad(
      "NEWSLETTER_WEBHOOK_POSTMARK_AUTH",
      "must be user:password, the password at least 12 characters without spaces",
      "postmark:$(openssl rand -hex 16)"
    );
  return auth;
}
function readMailgunKey(v) {
  const key = v.get("NEWSLETTER_WEBHOOK_MAILGUN_KEY");
  if (key !== void 0 && (key.length < 16 || /\s/.test(key)))
    v.bad(
      "NEWSLETTER_WEBHOOK_MAILGUN_KEY",
      "must be Mailgun's HTTP webhook signing key (at least 16 characters, no spaces)",
      "key-0123456789abcdef0123456789abcdef"
    );
  return key;
}
function smtpUrlProblem(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:")
    return `the scheme is ${u.protocol.replace(/:$/, "") || "missing"}`;
  if (u.hostname === "") return "no host";
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? "";
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (/:$/.test(hostAndPort)) return "an empty port: give a number or leave out the colon";
  if (u.port === "0") return "port 0";
  if (u.pathname !== "" && u.pathname !== "/") return "a path, which SMTP has no use for";
  if (u.search !== "" || raw.includes("?")) return "a query, which is not read";
  if (u.hash !== "" || raw.includes("#")) return "a fragment";
  return void 0;
}
function databaseFromUrl(url, options) {
  const bad = (_variable, problem, example, shown) => {
    throw new ConfigError(
      `${options.name}: ${problem}${shown === void 0 ? "" : ` (got "${shown}")`}; e.g. ${example}`
    );
  };
  return databaseFrom(url, options.pool, options.rootDir, bad);
}
var SSL_MODES = ["disable", "prefer", "require", "verify-ca", "verify-full", "no-verify"];
function databaseFrom(url, pool, rootDir, bad) {
  const name = "NEWSLETTER_DATABASE_URL";
  if (/^postgres(ql)?:/i.test(url)) {
    const example = "postgres://newsletter:secret@db.example.org:5432/newsletter";
    const shown = maskPassword(url);
    let u;
    try {
      u = new URL(url);
    } catch {
      return bad(name, "is not a valid PostgreSQL URL", example, shown);
    }
    if (u.hostname === "" && !u.searchParams.get("host")) bad(name, "needs a host", example, shown);
    if (u.pathname.replace(/^\//, "") === "") bad(name, "needs a database name after the host", example, shown);
    const sslmode = u.searchParams.get("sslmode");
    if (sslmode !== null && !SSL_MODES.includes(sslmode))
      bad(name, `sslmode must be one of ${SSL_MODES.join(", ")}`, `${example}?sslmode=require`, shown);
    return { kind: "postgres", url, pool };
  }
  if (!url.startsWith("sqlite:") || url.length <= "sqlite:".length) {
    bad(
      name,
      "must be sqlite:PATH or postgres://user:pass@host:5432/db",
      "sqlite:subscribers/newsletter.db",
      maskPassword(url)
    );
  }
  const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
  return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(rootDir, file) };
}
function secretFile(config) {
  const { database } = config;
  return database.kind === "sqlite" && database.file !== ":memory:" ? path.join(path.dirname(database.file), ".secret") : legacySecretFile(config);
}
function legacySecretFile(config) {
  return path.join(config.rootDir, "subscribers", ".secret");
}
var NEW_KEY_HINT = "openssl rand -hex 32";
function readSecretFile(config, file) {
  const shown = path.relative(config.rootDir, file) || file;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") return void 0;
    if (code === "EISDIR")
      throw new ConfigError(
        `${shown}: is a folder, not the link-signing key file; move the folder away and restore the key file from a backup, or set NEWSLETTER_SECRET to the key`
      );
    if (code === "ENOTDIR")
      throw new ConfigError(
        `${shown}: a file stands where its folder should be; move it away, or set NEWSLETTER_SECRET`
      );
    throw new ConfigError(
      `${shown}: the link-signing key cannot be read (${code ?? e.message}); fix its permissions (owner read, mode 600), or set NEWSLETTER_SECRET`
    );
  }
  const stored = text.trim();
  if (Buffer.byteLength(stored) < 32) {
    throw new ConfigError(
      `${shown}: the stored link-signing key is shorter than 32 bytes; restore the file from a backup, or write a new key with \`${NEW_KEY_HINT} > ${shown}\` (links already sent stop working), or set NEWSLETTER_SECRET`
    );
  }
  return stored;
}
function storedSecret(config) {
  return config.secretFromEnv ?? readSecretFile(config, secretFile(config));
}
function previousSecrets(config) {
  return config.previousSecretFromEnv ? [config.previousSecretFromEnv] : [];
}
function resolveSecret(config, options = {}) {
  if (config.secretFromEnv) return config.secretFromEnv;
  const file = secretFile(config);
  const stored = readSecretFile(config, file);
  if (stored !== void 0) return stored;
  const legacy = legacySecretFile(config);
  const old = legacy === file ? void 0 : readSecretFile(config, legacy);
  const shown = path.relative(config.rootDir, file) || file;
  if (old === void 0 && options.readersExist) {
    throw new ConfigError(
      `${shown}: the link-signing key is missing but the database has readers, so a new key would break every link already sent; restore the file from a backup (or set NEWSLETTER_SECRET to the key), or if the key is lost for good, rotate: \`${NEW_KEY_HINT} > ${shown} && chmod 600 ${shown}\``
    );
  }
  const secret = old ?? randomBytes(32).toString("hex");
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${secret}
`, { mode: 384, flag: "wx" });
    chmodSync(file, 384);
  } catch (e) {
    const code = e.code;
    if (code === "EEXIST") return readSecretFile(config, file) ?? secret;
    throw new ConfigError(
      `${shown}: the link-signing key cannot be written (${code === "EROFS" ? "read-only file system" : code === "ENOSPC" ? "disk full" : code ?? e.message}); make the folder writable, or set NEWSLETTER_SECRET`
    );
  }
  return secret;
}
function readDnsServers(v) {
  const raw = v.get("NEWSLETTER_DNS_SERVERS");
  if (raw === void 0) return void 0;
  const servers = raw.split(",").map((s) => s.trim());
  const ip = (s) => isIP(s) !== 0;
  const valid = (s) => {
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
    if (bracketed) return isIP(bracketed[1]) === 6 && (!bracketed[2] || Number(bracketed[2]) <= 65535);
    const hostPort = /^([^:]+):(\d{1,5})$/.exec(s);
    if (hostPort) return isIP(hostPort[1]) === 4 && Number(hostPort[2]) <= 65535;
    return ip(s);
  };
  const wrong = servers.find((s) => !valid(s));
  if (wrong !== void 0)
    v.bad(
      "NEWSLETTER_DNS_SERVERS",
      "must be IP addresses, each optionally with :port, comma-separated",
      "127.0.0.1:5353",
      wrong
    );
  return servers;
}
export {
  ConfigError,
  LOG_LEVELS,
  databaseFromUrl,
  describeDatabase,
  loadConfig,
  previousSecrets,
  readEnv,
  resolveSecret,
  secretFile,
  storedSecret
};
//# sourceMappingURL=config.js.map
