import { describeDatabase, loadConfig, readEnv } from '../config.ts';
import { migrate, openStore } from '../store/database.ts';
import type { Command } from './command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (start does it too)',
  usage: 'newsletter migrate\n\nBrings the subscriber database (NEWSLETTER_DATABASE_URL) up to the latest version. Safe to run again.',
  async run(_args, io) {
    const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
    const db = openStore(config.database);
    try {
      const applied = await migrate(db);
      io.out(applied.length ? `applied ${applied.join(', ')} to ${describeDatabase(config.database)}` : `${describeDatabase(config.database)} is up to date`);
      return 0;
    } catch (e) {
      io.err(e instanceof Error ? e.message : String(e));
      return 1;
    } finally {
      await db.destroy();
    }
  },
};
