// ../../work/wt/h-studio/src/cli/preview.ts
import { DEFAULT_PREVIEW_HOST, DEFAULT_PREVIEW_PORT, startStudioServer } from "../preview/server.js";
import { UsageError } from "./command.js";
import { withApp } from "./with-app.js";
var LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;
var preview = {
  usage: [
    "newsletter preview [--port 4000] [--host 127.0.0.1]",
    "",
    "Opens the preview studio: every email as readers get it, live while you edit content/ and",
    'templates/, the checks, "Send me a test", and the dev inbox (the outbox folder).',
    "  --port N     port to listen on (default 4000; 0 picks a free one)",
    "  --host H     address to listen on (default 127.0.0.1). Anything else exposes the studio,",
    "               which can send test emails, to your network: only give it on purpose."
  ].join("\n"),
  options: { port: { type: "string" }, host: { type: "string" } },
  async run({ values }, io) {
    const port = values.port === void 0 ? DEFAULT_PREVIEW_PORT : Number(values.port);
    if (typeof values.port === "string" && (!/^\d+$/.test(values.port) || port > 65535))
      throw new UsageError(`--port must be a number from 0 to 65535 (got "${values.port}")`);
    const host = typeof values.host === "string" && values.host.trim() ? values.host.trim() : DEFAULT_PREVIEW_HOST;
    return withApp(io, async (app) => {
      let server;
      try {
        server = await startStudioServer({
          config: app.config,
          port,
          host,
          now: () => io.now(),
          mailer: () => app.mailer(),
          // Read, never written: the counts under each tip and the latest comments.
          feedback: async () => {
            const stats = await app.statsReader();
            return { tips: await stats.feedbackByTip(), comments: await stats.comments(20) };
          }
        });
      } catch (e) {
        const code = e.code;
        if (code === "EADDRINUSE") {
          io.err(
            `port ${port} is in use: stop the other studio or pick another port, e.g. newsletter preview --port ${port + 1}`
          );
          return 1;
        }
        if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
          io.err(`cannot listen on ${host}: it is not an address of this machine; leave --host out for 127.0.0.1`);
          return 1;
        }
        throw e;
      }
      if (!LOOPBACK.test(host))
        io.err(
          `warning: the studio listens on ${host}, so other machines on your network can open it and send test emails.`
        );
      io.out(`Preview studio: ${server.url}/  (watching content/ and templates/; dev inbox: ${app.config.outboxDir})`);
      io.out("Press Ctrl+C to stop.");
      await new Promise((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
      return 0;
    });
  }
};
var preview_default = preview;
export {
  preview_default as default
};
//# sourceMappingURL=preview.js.map
