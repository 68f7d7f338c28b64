// ../../work/wt/h-studio/src/content/watch.ts
import path from "node:path";
import { watch } from "chokidar";
var noise = (file) => {
  const base = path.basename(file);
  return base.startsWith(".") || base.endsWith("~") || /\.(sw[a-z]|tmp|bak)$/.test(base) || /^\d+$/.test(base);
};
function watchFolders(folders, onChange, settleMs = 25) {
  const watcher = watch(folders, { ignoreInitial: true, ignored: (file) => noise(file) });
  let pending = [];
  let timer;
  watcher.on("all", (_event, file) => {
    pending.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = pending;
      pending = [];
      onChange(files);
    }, settleMs);
  });
  watcher.on("error", () => void 0);
  const ready = new Promise((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    }
  };
}
export {
  watchFolders
};
//# sourceMappingURL=watch.js.map
