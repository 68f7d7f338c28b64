// ../../work/wt/h-studio/src/preview/server.ts
import { mkdir } from "node:fs/promises";
import Fastify from "fastify";
import rateLimit from "@fastify/rate-limit";
import { createMailer } from "../mailer/create-mailer.js";
import { Inbox } from "./inbox.js";
import { startLiveReload } from "./live-reload.js";
import { applyRequestPolicy } from "./request-policy.js";
import { registerSendTestRoute } from "./send-test-route.js";
import { registerEditorRoutes } from "./editor-routes.js";
import { registerStudioRoutes } from "./studio-routes.js";
import { newSessionToken } from "./write-guard.js";
import { Studio } from "./studio.js";
var DEFAULT_PREVIEW_PORT = 4e3;
var DEFAULT_PREVIEW_HOST = "127.0.0.1";
async function startStudioServer(options) {
  const { config } = options;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const studio = new Studio(config, now);
  await studio.reload();
  studio.snapshot().catch(() => void 0);
  const inbox = new Inbox(config.outboxDir);
  await mkdir(config.outboxDir, { recursive: true });
  const live = await startLiveReload(studio, config);
  let mailer;
  const testMailer = () => mailer ??= options.mailer ? options.mailer() : Promise.resolve(createMailer(config));
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  await app.register(rateLimit, { global: false });
  applyRequestPolicy(app, options.host);
  registerStudioRoutes(app, { studio, inbox, ...options.feedback ? { feedback: options.feedback } : {} });
  app.get("/events", (request, reply) => live.stream(request, reply));
  registerSendTestRoute(app, studio, testMailer);
  registerEditorRoutes(app, { studio, token: newSessionToken(), now });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    await live.close();
    await app.close();
    throw e;
  }
  const address = app.server.address();
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${address.port}`,
    studio,
    async close() {
      await live.close();
      await app.close();
      if (mailer && !options.mailer) await (await mailer).close();
    }
  };
}
export {
  DEFAULT_PREVIEW_HOST,
  DEFAULT_PREVIEW_PORT,
  startStudioServer
};
//# sourceMappingURL=server.js.map
