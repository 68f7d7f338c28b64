// ../../work/wt/h-studio/src/log.ts
import pino from "pino";
import { withoutAddresses } from "./redact.js";
var drop = () => {
};
var silentLogger = { error: drop, warn: drop, info: drop, debug: drop };
var PLUMBING = /* @__PURE__ */ new Set(["level", "time", "pid", "hostname", "msg"]);
function field(key, value) {
  const text = typeof value === "string" && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return `${key}=${text}`;
}
function lineForPeople(jsonLine) {
  const newline = jsonLine.endsWith("\n") ? "\n" : "";
  let entry;
  try {
    entry = JSON.parse(jsonLine);
  } catch {
    return jsonLine;
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 19) : "";
  const level = String(entry.level ?? "").toUpperCase().padEnd(5);
  const fields = Object.entries(entry).filter(([key]) => !PLUMBING.has(key)).map(([key, value]) => ` ${field(key, value)}`).join("");
  return `${time} ${level} ${String(entry.msg ?? "")}${fields}${newline}`;
}
function createLogger(level, destination, options = {}) {
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const to = destination.forPeople ? { write: (line) => destination.write(lineForPeople(line)) } : destination;
  return pino(
    {
      level,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ["email", "token", "secret", "password", "*.email", "*.token"], censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => typeof a === "string" ? withoutAddresses(a) : a);
          method.apply(this, masked);
        }
      }
    },
    to
  );
}
export {
  createLogger,
  lineForPeople,
  silentLogger
};
//# sourceMappingURL=log.js.map
