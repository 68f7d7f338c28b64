import { access, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Bump when the shape of an entry changes; older entries are then simply not found. */
const ENTRY_FORMAT = 1;
/** Entry names end in a sha256; see cache-keys.ts. */
const ENTRY_FILE = /^([a-z0-9_-]*-[0-9a-f]{64})\.json$/;
const TMP_FILE = /^[a-z0-9_-]*-[0-9a-f]{64}\.json\.\d+\.[0-9a-f]{8}\.tmp$/;
/**
 * Entries the current project does not use are removed once this old: an editor who breaks a
 * template and undoes it, or a second process with other settings (the studio beside `start`),
 * then finds its entries still there.
 */
export const UNUSED_ENTRY_MS = 60 * 60_000;
/** A temp file this old was left by a writer that died; younger ones may still be renamed. */
const ABANDONED_TMP_MS = 60_000;

export interface CompiledCacheOptions {
  /**
   * A folder that must exist for anything to be written (the project folder): a write that
   * finishes after the project was deleted must not create it again.
   */
  within?: string;
}

/**
 * Compiled content and emails kept on disk between processes, one JSON file per entry, named by
 * a hash of everything the entry was made from (so an entry is never stale: changed input is a
 * different name). The cache is an optimisation only: a missing, unreadable or corrupt entry is
 * a miss, and a folder that cannot be written is skipped; neither ever fails a pass.
 */
export class CompiledCache {
  private live?: ReadonlySet<string>;
  /** Entries known to be missing: reading them would only wait for the disk to say so. */
  private readonly absent = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private pruned = false;
  private unwritable = false;

  constructor(
    readonly dir: string,
    private readonly options: CompiledCacheOptions = {},
  ) {}

  /** The entries the current project uses; the first write removes unused ones of a certain age. */
  keep(names: Iterable<string>): void {
    this.live = new Set(names);
  }

  /** Whether every one of these entries is there (not whether it is readable). */
  async hasAll(names: readonly string[]): Promise<boolean> {
    const found = await Promise.all(
      names.map((name) =>
        access(this.file(name)).then(
          () => true,
          () => false,
        ),
      ),
    );
    for (const [i, name] of names.entries()) if (!found[i]) this.absent.add(name);
    return found.every(Boolean);
  }

  async read<T>(name: string, valid: (value: unknown) => value is T): Promise<T | undefined> {
    if (this.absent.has(name)) return undefined;
    try {
      const entry = JSON.parse(await readFile(this.file(name), 'utf8')) as {
        format?: unknown;
        name?: unknown;
        value?: unknown;
      };
      return entry.format === ENTRY_FORMAT && entry.name === name && valid(entry.value) ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Stores an entry in the background: what was compiled is ready now, the file is for the next
   * process. Never rejects. Writes to a temp file then renames, so a reader sees a whole entry
   * or none.
   */
  write(name: string, value: unknown): Promise<void> {
    if (this.unwritable) return Promise.resolve();
    const text = JSON.stringify({ format: ENTRY_FORMAT, name, value });
    const done = this.store(name, text).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }

  /** Resolves once every write started so far is finished (or given up). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  private async store(name: string, text: string): Promise<void> {
    const tmp = `${this.file(name)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await this.makeFolder();
      await writeFile(tmp, text);
      await rename(tmp, this.file(name));
      this.absent.delete(name);
    } catch {
      this.unwritable = true;
      await unlink(tmp).catch(() => {});
      return;
    }
    if (!this.pruned) {
      this.pruned = true;
      await this.prune().catch(() => {});
    }
  }

  private async makeFolder(): Promise<void> {
    const { within } = this.options;
    if (!within) return void (await mkdir(this.dir, { recursive: true }));
    // One level at a time below `within`: if the project folder is gone, this fails.
    let at = within;
    for (const part of path.relative(within, this.dir).split(path.sep)) {
      at = path.join(at, part);
      await mkdir(at).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
  }

  /**
   * Only when something was written: an unchanged project costs no folder listing. Only files
   * named like entries are touched, in case the folder is shared with anything else.
   */
  private async prune(): Promise<void> {
    const live = this.live;
    if (!live) return;
    const now = Date.now();
    for (const entry of await readdir(this.dir)) {
      const name = ENTRY_FILE.exec(entry)?.[1];
      const unused = name !== undefined && !live.has(name);
      if (!unused && !TMP_FILE.test(entry)) continue;
      const abs = path.join(this.dir, entry);
      const info = await stat(abs).catch(() => undefined);
      if (info && now - info.mtimeMs >= (unused ? UNUSED_ENTRY_MS : ABANDONED_TMP_MS))
        await unlink(abs).catch(() => {});
    }
  }

  private file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }
}
