import { parseArgs } from 'node:util';
import { UsageError, type CommandEntry, type Io, type LeafCommand } from './command.ts';
import { commands } from './commands.ts';

const HELP = (list: readonly CommandEntry[]) =>
  [
    'newsletter: the Night Cramp Weekly pipeline',
    '',
    'Usage: newsletter <command> [options]   (newsletter <command> --help for more)',
    '',
    ...list.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Exit codes: 0 success, 1 a failure the output explains, 2 bad usage.',
  ].join('\n');

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** `a, b or c`. */
const either = (names: readonly string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');

function processIo(): Io {
  // `newsletter stats | head`: the reader of our output left, which is not a failure. Without
  // this the write's EPIPE is an unhandled error with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    isTty: Boolean(process.stdout.isTTY),
  };
}

/** Runs one command line; returns the exit code. The one place that turns errors into output. */
export async function main(
  argv: string[],
  io: Io = processIo(),
  list: readonly CommandEntry[] = commands,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || isHelp(name)) {
    io.out(HELP(list));
    return name ? 0 : 2;
  }
  const entry = list.find((c) => c.name === name);
  if (!entry) {
    io.err(`unknown command "${name}"\n\n${HELP(list)}`);
    return 2;
  }
  return run(entry, [name], rest, io);
}

/** Loads the command `path` names (only now: its code is not needed before), then runs it or its subcommand. */
async function run(entry: CommandEntry, path: readonly string[], args: string[], io: Io): Promise<number> {
  const { default: command } = await entry.load();
  if ('subcommands' in command) {
    const [action, ...rest] = args;
    if (isHelp(action)) {
      io.out(command.usage);
      return 0;
    }
    const sub = command.subcommands.find((c) => c.name === action);
    if (sub) return run(sub, [...path, sub.name], rest, io);
    const names = either(command.subcommands.map((c) => c.name));
    const problem = action && !action.startsWith('-') ? `unknown action "${action}"` : 'missing action';
    return usageError(io, path, `${problem}; use ${names}`, command.usage);
  }
  try {
    return await runLeaf(command, args, io);
  } catch (e) {
    return failure(e, io, path, command.usage);
  }
}

async function runLeaf(command: LeafCommand, args: string[], io: Io): Promise<number> {
  const parsed = parseArgs({
    args,
    options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (parsed.values.help) {
    io.out(command.usage);
    return 0;
  }
  const { min, max, missing } = command.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min) throw new UsageError(`missing ${missing ?? 'argument'}`);
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  return command.run(
    { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals },
    io,
  );
}

function usageError(io: Io, path: readonly string[], message: string, usage: string): number {
  io.err(`newsletter ${path.join(' ')}: ${message}\n\nUsage: ${usage}`);
  return 2;
}

const isParseError = (e: unknown): e is TypeError & { code: string } =>
  e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS');

/**
 * The exit code for an error a user can act on; anything else is a bug and is thrown. The error
 * classes come from `errors.ts`, which imports nothing, so matching them loads neither the config
 * nor MJML; it is loaded only here, on a failure, so `--help` loads no more than the command list.
 */
async function failure(e: unknown, io: Io, path: readonly string[], usage: string): Promise<number> {
  if (e instanceof UsageError) return usageError(io, path, e.message, usage);
  if (isParseError(e)) {
    // Among nested commands the option is usually another action's: say so, as for a wrong action.
    const option =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && path.length > 1 ? /'(-[^']*)'/.exec(e.message)?.[1] : undefined;
    return usageError(io, path, option ? `${option} does not apply to "${path.join(' ')}"` : e.message, usage);
  }
  const { ConfigError, formatProblem, ProblemsError, sortProblems, TemplateError } = await import('../errors.ts');
  if (e instanceof ConfigError || e instanceof TemplateError) {
    io.err(e.message);
    return 1;
  }
  if (e instanceof ProblemsError) {
    for (const p of sortProblems(e.problems)) io.err(formatProblem(p));
    io.err('Fix the problems above (run `newsletter check` to see them all), then try again.');
    return 1;
  }
  throw e;
}
