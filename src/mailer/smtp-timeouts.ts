/**
 * How long the SMTP client waits, after RFC 5321 4.5.3.2: 5 minutes for the greeting, MAIL and
 * RCPT, 2 for the answer to DATA, 3 for each block of the message, and 10 minutes for the answer
 * to the final dot, because by then the server may be storing or relaying the message and a
 * client that gives up sooner sends it again: the reader gets it twice.
 *
 * nodemailer has three knobs. `connectionTimeout` bounds setting the session up (the DNS lookup,
 * TCP, the greeting, a STARTTLS upgrade) and `greetingTimeout` the greeting within it: both get the
 * RFC's 5 minutes for the greeting. `socketTimeout` is one inactivity timer for every answer after
 * that, so it must be the longest of them, the final dot's 10 minutes; MAIL, RCPT and DATA then
 * get more than the RFC's minimum, which only makes the client more patient.
 *
 * A message may therefore wait many minutes for its answer. Its claim in the ledger lasts
 * STALE_CLAIM_MS and the pass renews it while the message is in flight (src/delivery/claim-lease.ts),
 * so no other sender takes it back meanwhile, however long the server takes.
 */
export const RFC5321_TIMEOUTS = {
  connectionMs: 5 * 60_000,
  greetingMs: 5 * 60_000,
  socketMs: 10 * 60_000,
} as const;

/**
 * nodemailer's timeout options. `shortMs`, for tests and benchmarks only, replaces the RFC's
 * minutes: `shortMs` to connect and for the greeting, four times that for each answer.
 */
export function smtpTimeouts(shortMs?: number): {
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
} {
  if (shortMs !== undefined)
    return { connectionTimeout: shortMs, greetingTimeout: shortMs, socketTimeout: shortMs * 4 };
  return {
    connectionTimeout: RFC5321_TIMEOUTS.connectionMs,
    greetingTimeout: RFC5321_TIMEOUTS.greetingMs,
    socketTimeout: RFC5321_TIMEOUTS.socketMs,
  };
}
