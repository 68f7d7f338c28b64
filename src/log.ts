import pino from 'pino';
import type { LogLevel } from './config.ts';
import { withoutAddresses } from './redact.ts';

type LogFn = (fieldsOrMessage: object | string, message?: string) => void;

/** The structured log as the parts see it: pino's level methods, nothing of pino itself. */
export interface Logger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

/** Where log lines go: anything with `write`, e.g. the CLI's stdout. */
export interface LogDestination {
  write(line: string): void;
  /**
   * True when a person reads it as it comes (stdout is a terminal): lines are then written as
   * text (`16:02:33 INFO  msg key=value`), not JSON. The caller knows; the logger never asks
   * the process.
   */
  forPeople?: boolean;
}

export interface LoggerOptions {
  /** The clock each line's `time` comes from; tests fix it. */
  now?: () => Date;
}

const drop: LogFn = () => {};
/** For commands that print for people: their events go nowhere. */
export const silentLogger: Logger = { error: drop, warn: drop, info: drop, debug: drop };

/** Fields every JSON line has that a person at a terminal does not need to read. */
const PLUMBING = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** One field as `key=value`; a value with spaces, quotes or `=` (or not a string) as JSON. */
function field(key: string, value: unknown): string {
  const text = typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return `${key}=${text}`;
}

/**
 * One of pino's JSON lines as a person reads it: the time of day (UTC), the level, the message,
 * then the other fields as `key=value`. A line that is not JSON is passed on as it is.
 */
export function lineForPeople(jsonLine: string): string {
  const newline = jsonLine.endsWith('\n') ? '\n' : '';
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !PLUMBING.has(key))
    .map(([key, value]) => ` ${field(key, value)}`)
    .join('');
  return `${time} ${level} ${String(entry.msg ?? '')}${fields}${newline}`;
}

/**
 * JSON lines at `level` (pino): ISO times, level names rather than numbers, pid and host so
 * lines from several replicas can be told apart. Messages pass through `withoutAddresses`
 * (an SMTP answer quotes its recipient), and fields named like secrets are censored, so a
 * careless caller still logs no address, token or key. A destination `forPeople` gets the same
 * lines as text (`lineForPeople`): masking and censoring happen before either.
 */
export function createLogger(level: LogLevel, destination: LogDestination, options: LoggerOptions = {}): Logger {
  const now = options.now ?? (() => new Date());
  const to: LogDestination = destination.forPeople
    ? { write: (line) => destination.write(lineForPeople(line)) }
    : destination;
  return pino(
    {
      level,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['email', 'token', 'secret', 'password', '*.email', '*.token'], censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a: unknown) => (typeof a === 'string' ? withoutAddresses(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    to,
  );
}
