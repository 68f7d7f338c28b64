// ../../work/wt/h-studio/src/preview/studio-routes.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { studioPage } from "./page.js";
import { isSampleReader, sampleReaderIds, sampleReaders } from "./samples.js";
var assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
var assets = /* @__PURE__ */ new Map([
  ["studio.css", "text/css; charset=utf-8"],
  ["studio.js", "text/javascript; charset=utf-8"]
]);
function registerStudioRoutes(app, deps) {
  const { studio, inbox } = deps;
  app.get(
    "/",
    async (_request, reply) => reply.type("text/html; charset=utf-8").send(studioPage(studio.list().seriesName))
  );
  app.get("/assets/:name", async (request, reply) => {
    const type = assets.get(request.params.name);
    if (!type) return reply.code(404).send({ error: "no such asset" });
    return reply.type(type).send(await readFile(path.join(assetsDir, request.params.name), "utf8"));
  });
  app.get("/api/list", async () => ({
    ...studio.list(),
    inbox: await inbox.list(),
    feedback: await readFeedback(deps.feedback),
    readers: sampleReaderIds.map((id) => ({ id, label: sampleReaders[id].label }))
  }));
  app.get("/api/email", async (request, reply) => {
    const id = request.query.id ?? "";
    const reader = isSampleReader(request.query.reader) ? request.query.reader : "first";
    if (id.startsWith("inbox:")) {
      const message = await inbox.open(id.slice("inbox:".length));
      if (!message)
        return reply.code(404).send({
          ok: false,
          id,
          label: "Dev inbox",
          problems: [{ severity: "error", check: "inbox", message: "this message is no longer in the outbox folder" }]
        });
      return { ok: true, email: await studio.inboxView(message) };
    }
    return studio.email(id, reader);
  });
}
async function readFeedback(read) {
  if (!read) return void 0;
  try {
    return await read();
  } catch (e) {
    return {
      tips: [],
      comments: [],
      error: `Reader answers cannot be read now: ${e instanceof Error ? e.message : String(e)}`
    };
  }
}
export {
  registerStudioRoutes
};
//# sourceMappingURL=studio-routes.js.map
