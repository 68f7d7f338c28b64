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

/** Where JSON lines go: anything with `write`, e.g. the CLI's stdout. */
export interface LogDestination {
  write(line: string): void;
}

const drop: LogFn = () => {};
/** For commands that print for people: their events go nowhere. */
export const silentLogger: Logger = { error: drop, warn: drop, info: drop, debug: drop };

/**
 * JSON lines at `level` (pino): ISO times, level names rather than numbers, pid and host so
 * lines from several replicas can be told apart. Messages pass through `withoutAddresses`
 * (an SMTP answer quotes its recipient), and fields named like secrets are censored, so a
 * careless caller still logs no address, token or key.
 */
export function createLogger(level: LogLevel, destination: LogDestination): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['email', 'token', 'secret', 'password', '*.email', '*.token'], censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a: unknown) => (typeof a === 'string' ? withoutAddresses(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
