// ../../work/wt/h-studio/src/preview/live-reload.ts
import { watchFolders } from "../content/watch.js";
var CHECK_DELAY_MS = 250;
async function startLiveReload(studio, config) {
  const clients = /* @__PURE__ */ new Set();
  const broadcast = (event, data) => {
    const chunk = `event: ${event}
data: ${JSON.stringify(data)}

`;
    for (const res of clients) res.write(chunk);
  };
  let checkTimer;
  const checkSoon = () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => {
      const generation = studio.generation;
      studio.snapshot().then(
        () => broadcast("checked", { generation }),
        () => void 0
      );
    }, CHECK_DELAY_MS);
  };
  const watchers = [
    watchFolders([config.contentDir, config.templatesDir], () => {
      void studio.reload().then(() => {
        broadcast("change", { generation: studio.generation, at: Date.now() });
        checkSoon();
      });
    }),
    watchFolders([config.outboxDir], () => broadcast("inbox", { at: Date.now() }))
  ];
  await Promise.all(watchers.map((w) => w.ready));
  return {
    stream(request, reply) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no"
      });
      res.write(`retry: 500
event: hello
data: ${JSON.stringify({ generation: studio.generation })}

`);
      clients.add(res);
      const beat = setInterval(() => res.write(": keep-alive\n\n"), 15e3);
      request.raw.on("close", () => {
        clearInterval(beat);
        clients.delete(res);
      });
    },
    async close() {
      clearTimeout(checkTimer);
      for (const res of clients) res.end();
      clients.clear();
      await Promise.all(watchers.map((w) => w.close()));
    }
  };
}
export {
  startLiveReload
};
//# sourceMappingURL=live-reload.js.map
