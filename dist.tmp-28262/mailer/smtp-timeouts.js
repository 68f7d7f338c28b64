// ../../work/wt/h-studio/src/mailer/smtp-timeouts.ts
var RFC5321_TIMEOUTS = {
  connectionMs: 5 * 6e4,
  greetingMs: 5 * 6e4,
  socketMs: 10 * 6e4
};
function smtpTimeouts(shortMs) {
  if (shortMs !== void 0)
    return { connectionTimeout: shortMs, greetingTimeout: shortMs, socketTimeout: shortMs * 4 };
  return {
    connectionTimeout: RFC5321_TIMEOUTS.connectionMs,
    greetingTimeout: RFC5321_TIMEOUTS.greetingMs,
    socketTimeout: RFC5321_TIMEOUTS.socketMs
  };
}
export {
  RFC5321_TIMEOUTS,
  smtpTimeouts
};
//# sourceMappingURL=smtp-timeouts.js.map
