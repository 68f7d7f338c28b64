// ../../work/wt/h-studio/src/cli/subscribers/index.ts
import { STATUSES } from "./status.js";
var subscribers = {
  usage: [
    "newsletter subscribers <add|list|import|export|remove|unbounce> ...",
    "",
    "  add EMAIL [--name N] [--timezone Z] [--confirmed]",
    "        adds one reader; without --confirmed they get a confirmation email first,",
    "        with it they are active at once and get the welcome email",
    "  list [--status S]            one line per subscriber",
    "  import FILE.csv [--dry-run]  CSV with a header row: email,name,timezone; imported readers are",
    "        active at once (you vouch for their consent); bad rows are reported by line, the rest",
    "        imported; suppressed and existing addresses are skipped",
    "  export [--format csv|json] [--status S]   everything but internal ids, to stdout",
    "  remove EMAIL                 erases the reader and their deliveries; the address hash stays",
    "        on the suppression list so import and the site do not bring them back",
    "  unbounce EMAIL [--reason '\u2026']  returns a bounced reader to active; the reason is recorded",
    "",
    `Statuses: ${STATUSES.join(", ")}.`
  ].join("\n"),
  subcommands: [
    { name: "add", summary: "add one reader", load: () => import("./add.js") },
    { name: "list", summary: "one line per subscriber", load: () => import("./list.js") },
    { name: "import", summary: "add readers from a CSV file", load: () => import("./import.js") },
    { name: "export", summary: "every subscriber as CSV or JSON", load: () => import("./export.js") },
    { name: "remove", summary: "erase a reader and keep them suppressed", load: () => import("./remove.js") },
    { name: "unbounce", summary: "return a bounced reader to active, with a reason", load: () => import("./unbounce.js") }
  ]
};
var subscribers_default = subscribers;
export {
  subscribers_default as default
};
//# sourceMappingURL=index.js.map
