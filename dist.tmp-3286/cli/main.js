// ../../work/wt/h-studio/src/cli/main.ts
import { parseArgs } from "node:util";
import { UsageError } from "./command.js";
import { commands } from "./commands.js";
var HELP = (list) => [
  "newsletter: the Night Cramp Weekly pipeline",
  "",
  "Usage: newsletter <command> [options]   (newsletter <command> --help for more)",
  "",
  ...list.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
  "",
  "Exit codes: 0 success, 1 a failure the output explains, 2 bad usage."
].join("\n");
var isHelp = (arg) => arg === "--help" || arg === "-h" || arg === "help";
var either = (names) => names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names[0] ?? "";
function processIo() {
  process.stdout.on("error", (e) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(process.exitCode ?? 0);
  });
  return {
    out: (line) => process.stdout.write(`${line}
`),
    err: (line) => process.stderr.write(`${line}
`),
    write: (text) => process.stdout.write(text),
    ...process.stderr.isTTY ? { progress: (text) => process.stderr.write(text) } : {},
    env: process.env,
    cwd: process.cwd(),
    now: () => /* @__PURE__ */ new Date(),
    isTty: Boolean(process.stdout.isTTY)
  };
}
async function main(argv, io = processIo(), list = commands) {
  const [name, ...rest] = argv;
  if (!name || isHelp(name)) {
    io.out(HELP(list));
    return name ? 0 : 2;
  }
  const entry = list.find((c) => c.name === name);
  if (!entry) {
    io.err(`unknown command "${name}"

${HELP(list)}`);
    return 2;
  }
  return run(entry, [name], rest, io);
}
async function run(entry, path, args, io) {
  const { default: command } = await entry.load();
  if ("subcommands" in command) {
    const [action, ...rest] = args;
    if (isHelp(action)) {
      io.out(command.usage);
      return 0;
    }
    const sub = command.subcommands.find((c) => c.name === action);
    if (sub) return run(sub, [...path, sub.name], rest, io);
    const names = either(command.subcommands.map((c) => c.name));
    const problem = action && !action.startsWith("-") ? `unknown action "${action}"` : "missing action";
    return usageError(io, path, `${problem}; use ${names}`, command.usage);
  }
  try {
    return await runLeaf(command, args, io);
  } catch (e) {
    return failure(e, io, path, command.usage);
  }
}
async function runLeaf(command, args, io) {
  const parsed = parseArgs({
    args,
    options: { ...command.options, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true
  });
  if (parsed.values.help) {
    io.out(command.usage);
    return 0;
  }
  const { min, max, missing } = command.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min) throw new UsageError(`missing ${missing ?? "argument"}`);
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  return command.run(
    { values: parsed.values, positionals: parsed.positionals },
    io
  );
}
function usageError(io, path, message, usage) {
  io.err(`newsletter ${path.join(" ")}: ${message}

Usage: ${usage}`);
  return 2;
}
var isParseError = (e) => e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS");
async function failure(e, io, path, usage) {
  if (e instanceof UsageError) return usageError(io, path, e.message, usage);
  if (isParseError(e)) {
    const option = e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && path.length > 1 ? /'(-[^']*)'/.exec(e.message)?.[1] : void 0;
    return usageError(io, path, option ? `${option} does not apply to "${path.join(" ")}"` : e.message, usage);
  }
  const { ConfigError, formatProblem, ProblemsError, sortProblems, TemplateError } = await import("../errors.js");
  if (e instanceof ConfigError || e instanceof TemplateError) {
    io.err(e.message);
    return 1;
  }
  if (e instanceof ProblemsError) {
    for (const p of sortProblems(e.problems)) io.err(formatProblem(p));
    io.err("Fix the problems above (run `newsletter check` to see them all), then try again.");
    return 1;
  }
  throw e;
}
export {
  main
};
//# sourceMappingURL=main.js.map
