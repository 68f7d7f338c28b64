// ../../work/wt/h-studio/src/cli/migrate.ts
import { describeDatabase } from "../config.js";
import { withApp } from "./with-app.js";
var migrate = {
  usage: "newsletter migrate\n\nBrings the subscriber database (NEWSLETTER_DATABASE_URL) up to the latest version. Safe to run again.",
  run: (_args, io) => withApp(io, async (app) => {
    const file = describeDatabase(app.config.database);
    try {
      const applied = await app.migrate();
      io.out(applied.length ? `applied ${applied.join(", ")} to ${file}` : `${file} is up to date`);
      return 0;
    } catch (e) {
      io.err(e instanceof Error ? e.message : String(e));
      return 1;
    }
  })
};
var migrate_default = migrate;
export {
  migrate_default as default
};
//# sourceMappingURL=migrate.js.map
