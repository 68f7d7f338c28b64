// ../../work/wt/h-studio/src/cli/subscribers/import.ts
import { open } from "node:fs/promises";
import path from "node:path";
import { csvDecoding, ENCODING_HINT } from "../../subscription/csv-encoding.js";
import { importCsv } from "../../subscription/import.js";
import { UsageError } from "../command.js";
import { linksUse } from "../links-note.js";
import { withApp } from "../with-app.js";
import { describeWriteFailure } from "../../app.js";
var shown = (email) => new RegExp("\\p{Cc}", "u").test(email) ? JSON.stringify(email) : email;
var n = (x) => x.toLocaleString("en-US");
function importSummary(c, dryRun) {
  return `${dryRun ? "would import" : "imported"} ${c.imported}, skipped ${c.existing} existing, skipped ${c.suppressed} suppressed, rejected ${c.rejected} (${c.lines} data lines)${dryRun ? "; dry run: nothing written" : ""}`;
}
var importCommand = {
  usage: [
    "newsletter subscribers import FILE.csv [--encoding NAME] [--dry-run] [--verbose]",
    "",
    "CSV with a header row: email,name,timezone. Imported readers are active at once (you vouch",
    "for their consent) and get no email. The file is read as a stream and written in batches of",
    "1,000 rows, one transaction each, so any size of list fits in memory; a terminal shows progress.",
    "Every data line is counted once: imported, skipped existing (on the list, or earlier in the",
    "file), skipped suppressed, or rejected with its line and reason; the rest are imported. A",
    "field cannot span lines: an unclosed quote is reported on its own line and the lines after",
    "it are read on their own. Rejected lines are listed on stderr; --verbose lists skipped ones",
    "too. --dry-run reports the same and writes nothing.",
    "The file is read as UTF-8 (a byte-order mark is fine); a line that is not valid UTF-8 is",
    'rejected with its line, never imported with "\uFFFD" in it. --encoding windows-1252 (or latin1,',
    "read as Windows-1252 as browsers do) reads a file saved by Excel on Windows or as Latin-1;",
    "any encoding that writes ASCII as ASCII works (iso-8859-15, windows-1250, shift_jis\u2026).",
    "On a full disk (or a database that refuses writes) the import stops with one line saying so;",
    "the summary then counts the batches written before it, and running the same import again",
    "after freeing space carries on (the lines already imported are skipped as existing).",
    "Exit 1 when any line was rejected, or the import stopped."
  ].join("\n"),
  options: { "dry-run": { type: "boolean" }, verbose: { type: "boolean" }, encoding: { type: "string" } },
  positionals: { min: 1, max: 1, missing: "a CSV file" },
  run: ({ values, positionals }, io) => withApp(io, async (app) => {
    const file = positionals[0];
    const encoding = csvDecoding(typeof values.encoding === "string" ? values.encoding : void 0);
    if (!encoding.ok) throw new UsageError(`--encoding: ${encoding.problem}`);
    let handle;
    try {
      handle = await open(path.resolve(io.cwd, file), "r");
      if ((await handle.stat()).isDirectory()) throw Object.assign(new Error("is a folder, not a file"), { code: "EISDIR" });
    } catch (e) {
      await handle?.close();
      const code = e.code;
      io.err(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder, not a file" : code === "EACCES" ? "permission denied" : e.message}`);
      return 1;
    }
    const dryRun = values["dry-run"] === true;
    const importer = await app.importer();
    const progress = io.progress;
    let drawn = false;
    let notUtf8 = 0;
    const say = (line) => {
      if (drawn) progress?.("\r\x1B[K");
      drawn = false;
      io.err(line);
    };
    const report = await importCsv(
      handle.createReadStream({ highWaterMark: 256 * 1024 }),
      importer,
      {
        dryRun,
        now: io.now(),
        decoding: encoding.decoding,
        on: {
          rejected: (r) => {
            if (r.reason.startsWith("not valid UTF-8")) notUtf8++;
            say(`${file}:${r.line}: ${r.email ? `${shown(r.email)}: ` : ""}${r.reason}`);
          },
          ...values.verbose === true ? { skipped: (r) => say(`${file}:${r.line}: skipped ${shown(r.email ?? "")}: ${r.reason}`) } : {},
          ...progress ? {
            progress: (c) => {
              progress(`\r${n(c.lines)} lines read: ${n(c.imported)} ${dryRun ? "to import" : "imported"}, ${n(c.existing + c.suppressed)} skipped, ${n(c.rejected)} rejected`);
              drawn = true;
            }
          } : {}
        }
      }
    ).finally(() => handle.close());
    if (drawn) progress?.("\r\x1B[K");
    if (report.fatal) {
      io.err(`${file}: ${report.fatal}; nothing was imported`);
      return 1;
    }
    if (report.stopped) {
      const line = String(report.stopped.atLine);
      const fault = describeWriteFailure(report.stopped.error, app.config.database, {
        done: `the import stopped at line ${line} of ${file}: that line and the ones after it were not imported`,
        retry: "run the same import again (the lines imported so far are skipped as existing)"
      });
      if (!fault) throw report.stopped.error;
      io.err(fault);
      io.out(`${importSummary(report, dryRun)}; stopped at line ${line}; ${linksUse(app.config)}`);
      return 1;
    }
    io.out(`${importSummary(report, dryRun)}; ${linksUse(app.config)}`);
    if (notUtf8) io.err(`${file}: ${n(notUtf8)} line${notUtf8 === 1 ? " was" : "s were"} not valid UTF-8 and not imported; ${ENCODING_HINT}: the lines imported now are then skipped as existing`);
    return report.rejected ? 1 : 0;
  })
};
var import_default = importCommand;
export {
  import_default as default,
  importSummary
};
//# sourceMappingURL=import.js.map
