// ../../work/wt/h-studio/src/cli/bounces/index.ts
var bounces = {
  usage: [
    "newsletter bounces ingest [FILE\u2026|-]",
    "",
    "  ingest   reads delivery status notifications (RFC 3464), plain-text bounces (qmail, Exim,",
    "           Sendmail, Exchange) and complaint reports (RFC 5965) from files, or from stdin",
    "           with - or no file (an MTA pipe), and applies them:",
    "           hard bounce \u2192 bounced; 3 soft bounces in 30 days \u2192 bounced; complaint \u2192 unsubscribed."
  ].join("\n"),
  subcommands: [
    {
      name: "ingest",
      summary: "apply DSN, plain-text bounce and ARF messages from files or stdin",
      load: () => import("./ingest.js")
    }
  ]
};
var bounces_default = bounces;
export {
  bounces_default as default
};
//# sourceMappingURL=index.js.map
