// ../../work/wt/h-studio/src/mailer/outbox-mailer.ts
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { toNodemailer } from "./headers.js";
import { SendError } from "./mailer.js";
var NAME_MAX = 80;
function outboxName(messageId) {
  const local = messageId.replace(/[<>]/g, "").split("@")[0].replace(/[^A-Za-z0-9._-]/g, "_");
  if (local.length <= NAME_MAX) return local || "message";
  const cut = Math.max(
    local.lastIndexOf(".", NAME_MAX),
    local.lastIndexOf("_", NAME_MAX),
    local.lastIndexOf("-", NAME_MAX)
  );
  return local.slice(0, cut > 20 ? cut : NAME_MAX);
}
function createOutboxMailer(dir, now = () => /* @__PURE__ */ new Date()) {
  let transport;
  const composer = () => transport ??= import("../vendor/nodemailer.js").then(
    (m) => m.default.createTransport({ streamTransport: true, buffer: true, newline: "unix" })
  );
  let seq = 0;
  return {
    concurrency: 4,
    describe: () => `the outbox folder ${dir} (no NEWSLETTER_SMTP_URL set: one .eml file per message, nothing leaves this machine)`,
    async send(message) {
      const info = await (await composer()).sendMail(toNodemailer(message));
      const stamp = now().toISOString().replace(/[:.]/g, "-");
      const name = `${stamp}-${String(seq++ % 1e3).padStart(3, "0")}-${outboxName(message.messageId)}.eml`;
      const file = path.join(dir, name);
      try {
        await mkdir(dir, { recursive: true, mode: 448 });
        await writeFile(`${file}.tmp`, info.message, { mode: 384 });
        await chmod(`${file}.tmp`, 384);
        await rename(`${file}.tmp`, file);
      } catch (e) {
        await rm(`${file}.tmp`, { force: true }).catch(() => {
        });
        const code = e.code;
        if (code === "ENOSPC" || code === "EDQUOT")
          throw new SendError(
            "unavailable",
            "disk full: the outbox folder cannot be written; free some space on its disk"
          );
        if (code === "EROFS" || code === "EACCES")
          throw new SendError(
            "unavailable",
            `the outbox folder cannot be written (${code}); make it writable or set NEWSLETTER_OUTBOX_DIR`
          );
        throw e;
      }
      return { response: `written to ${file}` };
    },
    async close() {
    }
  };
}
export {
  createOutboxMailer,
  outboxName
};
//# sourceMappingURL=outbox-mailer.js.map
