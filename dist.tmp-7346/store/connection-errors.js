// ../../work/wt/h-studio/src/store/connection-errors.ts
var SOCKET_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN"
]);
var SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
var DRIVER_MESSAGES = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout)/;
function isConnectionLost(e) {
  if (!(e instanceof Error)) return false;
  const code = e.code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (DRIVER_MESSAGES.test(e.message)) return true;
  return e instanceof AggregateError && e.errors.some(isConnectionLost);
}
function connectionLossText(e) {
  if (e instanceof AggregateError && e.errors.length > 0) return connectionLossText(e.errors[0]);
  return e instanceof Error ? e.message || String(e.code ?? "connection error") : String(e);
}
export {
  connectionLossText,
  isConnectionLost
};
//# sourceMappingURL=connection-errors.js.map
