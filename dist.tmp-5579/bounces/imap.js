// ../../work/wt/h-studio/src/bounces/imap.ts
import { ImapFlow } from "imapflow";
import { ingestMessage } from "./ingest.js";
var BATCH = 200;
function mailboxSettings(url) {
  const u = new URL(url);
  const secure = u.protocol === "imaps:";
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 993 : 143),
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, "")) || "INBOX",
    processed: u.searchParams.get("processed") || "Processed",
    unmatched: u.searchParams.get("unmatched") || "Unmatched"
  };
}
async function pollMailbox(deps, settings, now) {
  const local = settings.host === "127.0.0.1" || settings.host === "localhost";
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.pass },
    logger: false,
    ...local ? { tls: { rejectUnauthorized: false } } : {}
  });
  const summary = { handled: 0, unmatched: 0, left: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(settings.mailbox);
    try {
      const handled = [];
      const unmatched = [];
      const exists = typeof client.mailbox === "object" ? client.mailbox.exists : 0;
      if (exists > 0) {
        for await (const message of client.fetch(`1:${Math.min(exists, BATCH)}`, { uid: true, source: true })) {
          if (!message.source) continue;
          try {
            const result = await ingestMessage(deps, message.source, now());
            (result.outcome === "unknown" ? unmatched : handled).push(message.uid);
          } catch {
            summary.left++;
          }
        }
      }
      for (const [uids, folder] of [
        [handled, settings.processed],
        [unmatched, settings.unmatched]
      ]) {
        if (uids.length === 0) continue;
        await client.mailboxCreate(folder).catch(() => void 0);
        const moved = await client.messageMove(uids, folder, { uid: true });
        if (!moved)
          throw new Error(
            `could not move ${uids.length} message(s) to the folder "${folder}"; create it, or name another with ?${folder === settings.processed ? "processed" : "unmatched"}=`
          );
      }
      summary.handled = handled.length;
      summary.unmatched = unmatched.length;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return summary;
}
export {
  mailboxSettings,
  pollMailbox
};
//# sourceMappingURL=imap.js.map
