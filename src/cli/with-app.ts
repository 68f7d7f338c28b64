import { openApp, type App, type AppOptions } from '../app.ts';
import type { Io } from './command.ts';

/** Runs `use` with the app built from the command's environment, and closes what it opened, whatever happens. */
export async function withApp<T>(io: Io, use: (app: App) => Promise<T>, options?: AppOptions): Promise<T> {
  const app = openApp(io, options);
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}
