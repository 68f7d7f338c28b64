// ../../work/wt/h-studio/src/mailer/smtp-worker.js
import { parentPort, workerData } from "node:worker_threads";
import nodemailer from "../vendor/nodemailer.js";
var transport = nodemailer.createTransport(workerData);
parentPort.on("message", async (request) => {
  if (request.close) {
    transport.close();
    parentPort.close();
    return;
  }
  try {
    const info = await transport.sendMail(request.mail);
    parentPort.postMessage({
      id: request.id,
      response: String(info.response ?? "sent"),
      rejected: (info.rejected ?? []).length
    });
  } catch (e) {
    parentPort.postMessage({
      id: request.id,
      error: {
        responseCode: e?.responseCode,
        code: e?.code,
        response: e?.response,
        message: e?.message ?? String(e),
        command: e?.command
      }
    });
  }
});
//# sourceMappingURL=smtp-worker.js.map
