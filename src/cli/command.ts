import type { ParseArgsConfig } from 'node:util';

/** Where a command writes and what it reads; injected so tests can run commands in-process. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /**
   * Raw output to stdout, no newline added: a progress bar redraws its line with `\r`. Absent
   * where nothing can be redrawn (tests, pipes), and then nothing is drawn.
   */
  write?(text: string): void;
  /**
   * Raw output to stderr for a progress line that redraws itself with `\r` (so stdout stays
   * clean for the result). Present only when stderr is a terminal.
   */
  progress?(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The clock; `--at` and tests replace it. */
  now(): Date;
  /** True when stdout is a terminal (progress bars), false in pipes and tests. */
  isTty: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * What `newsletter --help` lists. The command itself is loaded only when it runs, so listing
 * them loads none of the code behind them (MJML, Fastify, SQLite...).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<{ default: Command }>;
}

/** A command module's default export: its usage text, its options, and what it does. */
export interface LeafCommand {
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals it takes; `missing` names the argument when one is left out ("an email address"). */
  positionals?: { min: number; max: number; missing?: string };
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** Nested commands (`newsletter subscribers add ...`): the first argument picks one. */
export interface CommandGroup {
  usage: string;
  subcommands: readonly CommandEntry[];
}

export type Command = LeafCommand | CommandGroup;

/** Wrong arguments: main prints the command's usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
