import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { ProblemsError, formatProblem, sortProblems } from '../problems.ts';
import { TemplateError } from '../render/index.ts';
import { UsageError, type Command, type Io } from './command.ts';
import { commands } from './commands.ts';

const HELP = (list: readonly Command[]) =>
  [
    'newsletter: the Night Cramp Weekly pipeline',
    '',
    'Usage: newsletter <command> [options]   (newsletter <command> --help for more)',
    '',
    ...list.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Exit codes: 0 success, 1 a failure the output explains, 2 bad usage.',
  ].join('\n');

function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    isTty: Boolean(process.stdout.isTTY),
  };
}

/** Runs one command line; returns the exit code. The one place that turns errors into output. */
export async function main(argv: string[], io: Io = processIo(), list: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP(list));
    return name ? 0 : 2;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${HELP(list)}`);
    return 2;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.out(command.usage);
      return 0;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(parsed.positionals.length < min ? 'missing argument' : `unexpected argument "${parsed.positionals[max]}"`);
    }
    return await command.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`newsletter ${name}: ${e.message}\n\nUsage: ${command.usage}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 1;
    }
    if (e instanceof ProblemsError) {
      for (const p of sortProblems(e.problems)) io.err(formatProblem(p));
      io.err('Fix the problems above (run `newsletter check` to see them all), then try again.');
      return 1;
    }
    if (e instanceof TemplateError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
}
