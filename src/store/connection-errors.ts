/**
 * Errors that mean "the database connection is gone or cannot be made": the server is down,
 * restarting, failing over, or a pooler or the network between cut the connection. Nothing is
 * wrong with the data or the query; the same work succeeds once the database is back. SQLite,
 * a file, has no connection to lose: only PostgreSQL's driver raises these.
 */

/** Node's socket errors on connect, read or write. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown (a fast
 * shutdown, pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up,
 * recovering, promoting).
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;

/** What `pg` and its pool say when a connection ends or cannot be opened in time. */
const DRIVER_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout)/;

export function isConnectionLost(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (DRIVER_MESSAGES.test(e.message)) return true;
  // An AggregateError (Node tries each address of a host name) carries the socket errors inside.
  return e instanceof AggregateError && e.errors.some(isConnectionLost);
}

/** The error's own words, short: `read ECONNRESET`, `terminating connection due to administrator command`. */
export function connectionLossText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return connectionLossText(e.errors[0]);
  return e instanceof Error ? e.message || String((e as { code?: unknown }).code ?? 'connection error') : String(e);
}
