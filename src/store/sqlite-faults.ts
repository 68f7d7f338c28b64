import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statfsSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { MIN_FREE_BYTES } from './write-probe.ts';

const SETTING = 'NEWSLETTER_DATABASE_URL';
const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Node's and SQLite's codes for the faults an operator can fix, in words. */
function problemOf(code: string | undefined): string | undefined {
  switch (code) {
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_READONLY_ROLLBACK':
    case 'SQLITE_READONLY_CANTINIT':
    case 'SQLITE_READONLY_CANTLOCK':
      return 'is on a read-only file system (or its folder is not writable)';
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return 'cannot be opened for writing (permission denied)';
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return 'cannot be written: the disk is full';
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return 'is not an SQLite database';
    case 'EISDIR':
      return 'is a folder, not a database file';
    case 'ENOTDIR':
      return 'has a file where one of its folders should be';
    default:
      return undefined;
  }
}

const todo: Record<string, string> = {
  'is on a read-only file system (or its folder is not writable)':
    'put the database on a writable disk (or remount it read-write) and try again',
  'cannot be opened for writing (permission denied)':
    'give the user running the newsletter write access to the file and its folder',
  'cannot be written: the disk is full': 'free some space on that disk and try again; nothing was changed',
  'is not an SQLite database':
    'point the setting at a newsletter database, or at a new file, e.g. sqlite:subscribers/newsletter.db',
  'is a folder, not a database file': 'name a file inside it, e.g. sqlite:subscribers/newsletter.db',
  'has a file where one of its folders should be': 'fix the path, e.g. sqlite:subscribers/newsletter.db',
};

/** One line for a storage fault: the setting, the file, the problem, what to do; undefined for anything else. */
export function storageFault(e: unknown, file: string, what = 'the database'): ConfigError | undefined {
  if (e instanceof ConfigError) return e;
  const code = (e as { code?: unknown })?.code;
  let problem = problemOf(typeof code === 'string' ? code : undefined);
  // SQLite says "disk I/O error" (SQLITE_IOERR_SHMSIZE, _WRITE…) when it cannot grow a file on a
  // full disk: asked of the disk itself, that is what it was.
  if (!problem && typeof code === 'string' && code.startsWith('SQLITE_IOERR') && diskIsFull(file))
    problem = 'cannot be written: the disk is full';
  if (!problem) return undefined;
  return new ConfigError(`${SETTING}: ${what} ${file} ${problem}; ${todo[problem]}`);
}

/**
 * Checks the database file before SQLite touches it, so a wrong path changes nothing: a folder,
 * another kind of file (`sqlite:/etc/passwd`), a read-only disk or a folder that cannot be made
 * each stop with one line instead of a stack trace, or an empty -wal file beside /etc/passwd.
 */
export function preflightSqlite(file: string): void {
  const dir = path.dirname(file);
  const stat = statOrNothing(file);
  if (stat) checkExistingFile(file, stat);
  else makeFolderFor(dir);
  // SQLite writes its -wal and -shm files beside the database: the folder must be writable.
  try {
    accessSync(dir, constants.W_OK);
    if (stat) accessSync(file, constants.W_OK);
  } catch (e) {
    throw storageFault(e, stat ? file : dir, stat ? 'the database' : 'the folder for the database') ?? e;
  }
}

/** The file's stat, or undefined when there is no file yet; any other failure is a storage fault. */
function statOrNothing(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw storageFault(e, file) ?? e;
    return undefined;
  }
}

/** An existing path must be a regular file, empty or starting with SQLite's header. */
function checkExistingFile(file: string, stat: Stats): void {
  if (stat.isDirectory()) throw storageFault({ code: 'EISDIR' }, file)!;
  if (!stat.isFile())
    throw new ConfigError(
      `${SETTING}: the database ${file} is not a regular file; ${todo['is a folder, not a database file']}`,
    );
  if (stat.size === 0) return;
  const head = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 16, 0);
  } catch (e) {
    throw storageFault(e, file) ?? e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_HEADER) throw storageFault({ code: 'SQLITE_NOTADB' }, file)!;
}

/** A new database's folder, made now so a folder that cannot be made stops with one line. */
function makeFolderFor(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    // A recursive mkdir under a read-only parent says ENOENT: ask the nearest existing folder why.
    throw storageFault(whyNotWritable(dir) ?? e, dir, 'the folder for the database') ?? e;
  }
}

/** The error writing into the nearest existing folder above `dir` would meet, if any. */
function whyNotWritable(dir: string): unknown {
  let at = dir;
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return undefined;
  } catch (e) {
    return e;
  }
}

/**
 * The database holds readers' addresses: owner-only (0600) whatever the umask, and so are its
 * -wal and -shm files (SQLite gives them the database file's mode, and an existing install's
 * files are put right here too). A new database file is created empty with that mode first.
 */
export function makePrivate(file: string, stage: 'before-open' | 'after-open'): void {
  if (stage === 'before-open') {
    if (!existsSync(file)) {
      try {
        closeSync(openSync(file, 'wx', 0o600));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw storageFault(e, file) ?? e;
      }
    }
    return;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o777) !== 0o600) chmodSync(f, 0o600);
    } catch {
      // Not there (no -shm yet), or owned by another user: SQLite's own checks decide.
    }
  }
}

/** True when the disk that holds `file` has less free space than an SQLite write may need. */
function diskIsFull(file: string): boolean {
  try {
    const fs = statfsSync(path.dirname(file));
    return fs.bavail * fs.bsize < MIN_FREE_BYTES;
  } catch {
    return false;
  }
}
