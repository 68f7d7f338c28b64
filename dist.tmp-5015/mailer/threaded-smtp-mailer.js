// ../../work/wt/h-studio/src/mailer/threaded-smtp-mailer.ts
import { Worker } from "node:worker_threads";
import { toNodemailer } from "./headers.js";
import { SendError } from "./mailer.js";
import {
  classifySmtpError,
  describeSmtp,
  rejectedRecipients,
  smtpTransportOptions
} from "./smtp-options.js";
function createThreadedSmtpMailer(options, hooks = {}) {
  const waiting = /* @__PURE__ */ new Map();
  let nextId = 0;
  let worker;
  let closing = false;
  const failAll = (error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  function thread() {
    if (worker) return worker;
    const w = new Worker(new URL("./smtp-worker.js", import.meta.url), {
      workerData: smtpTransportOptions(options),
      // Each message is short-lived garbage. An 8 MB young generation collects it early (4 MB
      // cost a tenth of the thread's time in scavenges). Its live data is a few messages in
      // flight (an email is at most 100 KB), so the old generation's ceiling is far above need and
      // only stops the heap drifting up over a long pass (33 MB of old space over 10,000 messages
      // without a ceiling).
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 }
    });
    w.unref();
    w.on("message", (answer) => {
      const pending = waiting.get(answer.id);
      if (!pending) return;
      waiting.delete(answer.id);
      if (waiting.size === 0) w.unref();
      if (answer.error) pending.reject(classifySmtpError(Object.assign(new Error(answer.error.message), answer.error)));
      else if (answer.rejected) pending.reject(rejectedRecipients(answer.response ?? ""));
      else pending.resolve({ response: answer.response ?? "sent" });
    });
    const lost = (why) => {
      if (worker !== w) return;
      worker = void 0;
      failAll(new SendError("unavailable", why));
    };
    w.on("error", (e) => lost(`the SMTP thread failed: ${e.message}`));
    w.on("exit", () => lost("the SMTP thread has stopped"));
    worker = w;
    hooks.threadStarted?.(w);
    return w;
  }
  return {
    concurrency: options.pool,
    describe: () => describeSmtp(options),
    send(message) {
      if (closing) return Promise.reject(new SendError("unavailable", "the mailer is closed"));
      const w = thread();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, mail: toNodemailer(message) });
      });
    },
    async close() {
      closing = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise((resolve) => w.once("exit", () => resolve()));
      w.ref();
      w.postMessage({ close: true });
      await exited;
    }
  };
}
export {
  createThreadedSmtpMailer
};
//# sourceMappingURL=threaded-smtp-mailer.js.map
