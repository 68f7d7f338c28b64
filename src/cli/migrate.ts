import { describeDatabase } from '../config.ts';
import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const migrate: LeafCommand = {
  usage:
    'newsletter migrate\n\nBrings the subscriber database (NEWSLETTER_DATABASE_URL) up to the latest version. Safe to run again.',
  run: (_args, io) =>
    withApp(io, async (app) => {
      const file = describeDatabase(app.config.database);
      try {
        const applied = await app.migrate();
        io.out(applied.length ? `applied ${applied.join(', ')} to ${file}` : `${file} is up to date`);
        return 0;
      } catch (e) {
        io.err(e instanceof Error ? e.message : String(e));
        return 1;
      }
    }),
};

export default migrate;
