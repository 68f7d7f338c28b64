// ../../work/wt/h-studio/src/cli/db/index.ts
var db = {
  usage: [
    "newsletter db <copy|backup> ...",
    "",
    "  copy FROM-URL TO-URL [--force]   copies the whole store to another database (SQLite or",
    "        PostgreSQL, either way), ids and all, and checks the row counts",
    "  backup FILE                      a consistent copy of the SQLite database while it runs"
  ].join("\n"),
  subcommands: [
    { name: "copy", summary: "copy the whole store to another database", load: () => import("./copy.js") },
    {
      name: "backup",
      summary: "a consistent copy of the SQLite database while it runs",
      load: () => import("./backup.js")
    }
  ]
};
var db_default = db;
export {
  db_default as default
};
//# sourceMappingURL=index.js.map
