// ../../work/wt/h-studio/src/cli/commands.ts
var commands = [
  {
    name: "start",
    summary: "the main job: public site and scheduler in one process",
    load: () => import("./start.js")
  },
  { name: "preview", summary: "the editors' live preview studio and dev inbox", load: () => import("./preview.js") },
  {
    name: "check",
    summary: "validate settings, every tip and template, and render every email",
    load: () => import("./check.js")
  },
  { name: "render", summary: "print one finished email (HTML, or its text part)", load: () => import("./render.js") },
  {
    name: "new",
    summary: "write a new tip file with the next free week; prints its path",
    load: () => import("./new-tip.js")
  },
  {
    name: "send",
    summary: "one dispatch pass: every due subscriber gets their next tip",
    load: () => import("./send.js")
  },
  {
    name: "send-test",
    summary: "send one tip to one address through the configured transport",
    load: () => import("./send-test.js")
  },
  {
    name: "subscribers",
    summary: "operator's tools: add, list, import, export, remove, unbounce",
    load: () => import("./subscribers/index.js")
  },
  {
    name: "bounces",
    summary: "apply bounce and complaint reports (DSN, ARF) from files or an MTA pipe",
    load: () => import("./bounces/index.js")
  },
  {
    name: "db",
    summary: "copy the whole store between SQLite and PostgreSQL, verifying row counts",
    load: () => import("./db/index.js")
  },
  { name: "migrate", summary: "apply database migrations (start does it too)", load: () => import("./migrate.js") },
  {
    name: "stats",
    summary: "the series' numbers: subscribers by status, deliveries by tip and state, bounce and complaint rates",
    load: () => import("./stats.js")
  }
];
export {
  commands
};
//# sourceMappingURL=commands.js.map
