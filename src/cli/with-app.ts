import { ConfigError } from '../errors.ts';
import { describeWriteFailure, openApp, type App, type AppOptions } from '../app.ts';
import type { Io } from './command.ts';

/**
 * Runs `use` with the app built from the command's environment, and closes what it opened,
 * whatever happens. A write the database refused (a full disk, a read-only mount) ends the
 * command with one line that says so and what to do, not a stack trace.
 */
export async function withApp<T>(io: Io, use: (app: App) => Promise<T>, options?: AppOptions): Promise<T> {
  const app = openApp(io, options);
  try {
    return await use(app);
  } catch (e) {
    const line = describeWriteFailure(e, app.config.database, { done: 'the change was not saved' });
    throw line ? new ConfigError(line) : e;
  } finally {
    await app.close();
  }
}
