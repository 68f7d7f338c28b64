// ../../work/wt/h-studio/src/web/public/content.ts
import { stat } from "node:fs/promises";
import path from "node:path";
import { publishedTips } from "../../content/index.js";
import { watchFolders } from "../../content/watch.js";
async function fixedContent(loaded, rootDir) {
  const content = await publicContent(loaded, rootDir);
  return { current: () => content, version: () => 0, close: async () => void 0 };
}
async function publicContent(loaded, rootDir) {
  const tips = publishedTips(loaded.tips);
  const updated = {};
  for (const tip of tips) updated[tip.slug] = tip.reviewed ?? await fileDay(rootDir, tip.file);
  return { series: loaded.series, tips, pages: loaded.pages, updated };
}
async function fileDay(rootDir, file) {
  const s = await stat(path.resolve(rootDir ?? process.cwd(), file)).catch(() => void 0);
  return (s?.mtime ?? /* @__PURE__ */ new Date(0)).toISOString().slice(0, 10);
}
async function liveContent(options) {
  let content = await publicContent(options.initial ?? await options.load(), options.rootDir);
  let version = 0;
  let running = Promise.resolve();
  const reload = () => {
    running = running.then(async () => {
      try {
        content = await publicContent(await options.load(), options.rootDir);
        version++;
      } catch (e) {
        options.log?.(
          `content could not be reloaded, the site keeps the last good version: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`
        );
      }
    });
  };
  const watcher = watchFolders(options.folders, reload, 50);
  await watcher.ready;
  return {
    current: () => content,
    version: () => version,
    async close() {
      await watcher.close();
      await running;
    }
  };
}
export {
  fixedContent,
  liveContent,
  publicContent
};
//# sourceMappingURL=content.js.map
