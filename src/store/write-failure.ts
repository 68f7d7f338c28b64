import { describeDatabase, type DatabaseConfig } from '../config.ts';

/** Why the database refused a write, in the terms an operator can act on. */
export type WriteFailure = { kind: 'disk-full' | 'read-only' | 'io'; code: string };

/**
 * A database error that means "cannot write now" (disk full, read-only, the disk refused the
 * write), on either engine; undefined for anything else (a bug keeps its stack).
 * SQLite: SQLITE_FULL, SQLITE_READONLY*, SQLITE_IOERR*; Node: ENOSPC, EDQUOT, EROFS;
 * PostgreSQL: 53100 disk_full, 25006 read_only_sql_transaction.
 */
export function writeFailureOf(e: unknown): WriteFailure | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100')
    return { kind: 'disk-full', code };
  if (/^SQLITE_READONLY/.test(code) || code === 'EROFS' || code === '25006') return { kind: 'read-only', code };
  if (/^SQLITE_IOERR/.test(code)) return { kind: 'io', code };
  return undefined;
}

/**
 * One line for a write the database refused: the setting, the database, the problem and what
 * to do; undefined when `e` is not such a failure. `done` says what state the work was left in
 * (an import's batches committed so far stay; a single command changed nothing), `retry` what
 * to run once the fault is fixed.
 */
export function describeWriteFailure(
  e: unknown,
  database: DatabaseConfig,
  { done = 'nothing was changed', retry = 'run the command again' }: { done?: string; retry?: string } = {},
): string | undefined {
  const failure = writeFailureOf(e);
  if (!failure) return undefined;
  const where = `NEWSLETTER_DATABASE_URL: the database ${describeDatabase(database)}`;
  const disk = database.kind === 'sqlite' ? 'the disk that holds it' : "the database server's disk";
  switch (failure.kind) {
    case 'disk-full':
      return `${where} cannot be written: ${disk} is full (${failure.code}); ${done}; free some space there and ${retry}`;
    case 'read-only':
      return `${where} is read-only (${failure.code}); ${done}; make it writable (a read-only mount or a standby server) and ${retry}`;
    case 'io':
      return `${where} cannot be written: ${disk} refused the write (${failure.code}; usually a full disk); ${done}; free some space there (or check the disk) and ${retry}`;
  }
}
