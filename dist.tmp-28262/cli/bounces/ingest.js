// ../../work/wt/h-studio/src/cli/bounces/ingest.ts
import { readFile } from "node:fs/promises";
import { ingestMessage } from "../../bounces/ingest.js";
import { withApp } from "../with-app.js";
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}
var ingest = {
  usage: [
    "newsletter bounces ingest [FILE\u2026|-]",
    "",
    "Reads each FILE (one email each, as an MTA or a mailbox stores it) or stdin (- or no file),",
    "as a delivery status notification (RFC 3464), a plain-text bounce (qmail; Exim, Sendmail or",
    "Exchange without a DSN) or a complaint report (RFC 5965), finds the",
    "reader by the signed return path (NEWSLETTER_BOUNCE_ADDRESS) or the original Message-ID, and",
    "applies it: hard bounce \u2192 bounced and suppressed; soft \u2192 counted, bounced at 3 in 30 days;",
    "complaint \u2192 unsubscribed and suppressed. Prints one line per message.",
    "Exit 1 when a message could not be read or matched to a reader (it changed nothing)."
  ].join("\n"),
  positionals: { min: 0, max: 1e4 },
  run: ({ positionals }, io) => withApp(io, async (app) => {
    const deps = await app.bounces();
    const inputs = positionals.length ? positionals : ["-"];
    let unmatched = 0;
    for (const name of inputs) {
      let raw;
      try {
        raw = name === "-" ? await readStdin() : await readFile(name);
      } catch (e) {
        io.err(`${name}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
        unmatched++;
        continue;
      }
      const result = await ingestMessage(deps, raw, io.now());
      const where = name === "-" ? "stdin" : name;
      if (result.outcome === "unknown") {
        unmatched++;
        io.err(`${where}: unknown: ${result.text}; nothing changed`);
      } else io.out(`${where}: ${result.outcome}: ${result.text}`);
    }
    return unmatched ? 1 : 0;
  })
};
var ingest_default = ingest;
export {
  ingest_default as default
};
//# sourceMappingURL=ingest.js.map
