import SQLite from 'better-sqlite3';
import { storageFault } from './sqlite-faults.ts';

/**
 * A consistent copy of a live SQLite database, through SQLite's online backup API
 * (better-sqlite3's `backup`): pages are copied a step at a time, and writers go on meanwhile
 * (a step that meets a change starts that part again). Returns the pages copied.
 */
export async function backupSqlite(file: string, dest: string): Promise<number> {
  const source = new SQLite(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    const r = await source.backup(dest);
    return r.totalPages;
  } catch (e) {
    throw storageFault(e, dest, 'the backup') ?? e;
  } finally {
    source.close();
  }
}
