import type { ParseArgsConfig } from 'node:util';

/** Where a command writes and what it reads; injected so tests can run commands in-process. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
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

/** A command is a plain object: its name, its usage text, its options, and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals it takes. */
  positionals?: { min: number; max: number };
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** Wrong arguments: main prints the command's usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
