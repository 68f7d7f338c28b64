import path from 'node:path';
import { watch } from 'chokidar';

export interface FileWatcher {
  /** Resolves once the initial scan is done: saves after this are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Editors' swap, backup and temporary files: their saves end in a real file's event anyway. */
const noise = (file: string) => {
  const base = path.basename(file);
  return base.startsWith('.') || base.endsWith('~') || /\.(sw[a-z]|tmp|bak)$/.test(base) || /^\d+$/.test(base);
};

/**
 * Watches folders and calls `onChange` once per burst of events (an editor's save is often
 * several: write a temp file, rename, touch). No awaitWriteFinish: it waits seconds, and the
 * studio must update in well under one; a half-read file just reloads again on the next event.
 */
export function watchFolders(folders: string[], onChange: (files: string[]) => void, settleMs = 25): FileWatcher {
  const watcher = watch(folders, { ignoreInitial: true, ignored: (file) => noise(file) });
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, file) => {
    pending.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = pending;
      pending = [];
      onChange(files);
    }, settleMs);
  });
  // A watcher error (a folder removed) must not take the studio down; the next save tries again.
  watcher.on('error', () => undefined);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
