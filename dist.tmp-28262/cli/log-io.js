// ../../work/wt/h-studio/src/cli/log-io.ts
function stdoutOf(io) {
  return { write: (line) => io.out(line.endsWith("\n") ? line.slice(0, -1) : line), forPeople: io.isTty };
}
function loggingIo(io, log) {
  const { write: _redraw, ...rest } = io;
  return { ...rest, out: (line) => log.info(line), err: (line) => log.error(line) };
}
export {
  loggingIo,
  stdoutOf
};
//# sourceMappingURL=log-io.js.map
