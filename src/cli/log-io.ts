import type { LogDestination, Logger } from '../log.ts';
import type { Io } from './command.ts';

/**
 * The command's stdout as a log destination: pino's lines without their newline, as text for
 * people when stdout is a terminal and as JSON for a collector otherwise.
 */
export function stdoutOf(io: Io): LogDestination {
  return { write: (line) => io.out(line.endsWith('\n') ? line.slice(0, -1) : line), forPeople: io.isTty };
}

/**
 * `start` is read by log collectors more than by people: what it would print becomes JSON log
 * lines (info for `out`, error for `err`), the same text as their `msg`. Nothing is redrawn.
 */
export function loggingIo(io: Io, log: Logger): Io {
  const { write: _redraw, ...rest } = io;
  return { ...rest, out: (line) => log.info(line), err: (line) => log.error(line) };
}
