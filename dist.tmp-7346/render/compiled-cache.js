// ../../work/wt/h-studio/src/render/compiled-cache.ts
import { access, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
var ENTRY_FORMAT = 1;
var ENTRY_FILE = /^([a-z0-9_-]*-[0-9a-f]{64})\.json$/;
var TMP_FILE = /^[a-z0-9_-]*-[0-9a-f]{64}\.json\.\d+\.[0-9a-f]{8}\.tmp$/;
var UNUSED_ENTRY_MS = 60 * 6e4;
var ABANDONED_TMP_MS = 6e4;
var CompiledCache = class {
  constructor(dir, options = {}) {
    this.dir = dir;
    this.options = options;
  }
  dir;
  options;
  live;
  /** Entries known to be missing: reading them would only wait for the disk to say so. */
  absent = /* @__PURE__ */ new Set();
  pending = /* @__PURE__ */ new Set();
  pruned = false;
  unwritable = false;
  /** The entries the current project uses; the first write removes unused ones of a certain age. */
  keep(names) {
    this.live = new Set(names);
  }
  /** Whether every one of these entries is there (not whether it is readable). */
  async hasAll(names) {
    const found = await Promise.all(
      names.map(
        (name) => access(this.file(name)).then(
          () => true,
          () => false
        )
      )
    );
    for (const [i, name] of names.entries()) if (!found[i]) this.absent.add(name);
    return found.every(Boolean);
  }
  async read(name, valid) {
    if (this.absent.has(name)) return void 0;
    try {
      const entry = JSON.parse(await readFile(this.file(name), "utf8"));
      return entry.format === ENTRY_FORMAT && entry.name === name && valid(entry.value) ? entry.value : void 0;
    } catch {
      return void 0;
    }
  }
  /**
   * Stores an entry in the background: what was compiled is ready now, the file is for the next
   * process. Never rejects. Writes to a temp file then renames, so a reader sees a whole entry
   * or none.
   */
  write(name, value) {
    if (this.unwritable) return Promise.resolve();
    const text = JSON.stringify({ format: ENTRY_FORMAT, name, value });
    const done = this.store(name, text).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }
  /** Resolves once every write started so far is finished (or given up). */
  async settled() {
    while (this.pending.size) await Promise.all(this.pending);
  }
  async store(name, text) {
    const tmp = `${this.file(name)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await this.makeFolder();
      await writeFile(tmp, text);
      await rename(tmp, this.file(name));
      this.absent.delete(name);
    } catch {
      this.unwritable = true;
      await unlink(tmp).catch(() => {
      });
      return;
    }
    if (!this.pruned) {
      this.pruned = true;
      await this.prune().catch(() => {
      });
    }
  }
  async makeFolder() {
    const { within } = this.options;
    if (!within) return void await mkdir(this.dir, { recursive: true });
    let at = within;
    for (const part of path.relative(within, this.dir).split(path.sep)) {
      at = path.join(at, part);
      await mkdir(at).catch((e) => {
        if (e.code !== "EEXIST") throw e;
      });
    }
  }
  /**
   * Only when something was written: an unchanged project costs no folder listing. Only files
   * named like entries are touched, in case the folder is shared with anything else.
   */
  async prune() {
    const live = this.live;
    if (!live) return;
    const now = Date.now();
    for (const entry of await readdir(this.dir)) {
      const name = ENTRY_FILE.exec(entry)?.[1];
      const unused = name !== void 0 && !live.has(name);
      if (!unused && !TMP_FILE.test(entry)) continue;
      const abs = path.join(this.dir, entry);
      const info = await stat(abs).catch(() => void 0);
      if (info && now - info.mtimeMs >= (unused ? UNUSED_ENTRY_MS : ABANDONED_TMP_MS))
        await unlink(abs).catch(() => {
        });
    }
  }
  file(name) {
    return path.join(this.dir, `${name}.json`);
  }
};
export {
  CompiledCache,
  UNUSED_ENTRY_MS
};
//# sourceMappingURL=compiled-cache.js.map
