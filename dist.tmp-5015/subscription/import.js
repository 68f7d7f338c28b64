// ../../work/wt/h-studio/src/subscription/import.ts
import { Transform } from "node:stream";
import { parse } from "csv-parse";
import { parse as parseLine } from "csv-parse/sync";
import { UTF8 } from "./csv-encoding.js";
import {
  BatchNotWritten,
  HeaderProblem,
  IMPORT_COLUMNS,
  ImportRun
} from "./import-run.js";
import { IMPORT_COLUMNS as IMPORT_COLUMNS2 } from "./import-run.js";
var BATCH = 1e3;
function csvParser(run) {
  return parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count_less: true,
    skip_records_with_error: true,
    // A quote inside an unquoted field (O"Brien) is a character, as a spreadsheet writes it.
    relax_quotes: true,
    info: true,
    raw: true,
    columns: (names) => run.takeHeader(names),
    on_skip: (err, raw) => {
      if (err) run.skippedRaw.push({ err, raw: raw ?? "" });
      return void 0;
    }
  });
}
function guardFor(run, decoding) {
  return lineGuard(decoding, (line, reason) => {
    if (line > 1) return run.reject(line, reason);
    throw new HeaderProblem(
      reason.startsWith("not valid CSV: ") ? `the header line is not valid CSV (${reason.replace(/^not valid CSV: /, "")})` : `the header line is ${reason}`
    );
  });
}
async function stopsOf(run, work) {
  try {
    await work();
    return void 0;
  } catch (e) {
    if (e instanceof HeaderProblem || e.cause instanceof HeaderProblem)
      return { ...run.counts, fatal: e.message };
    if (e instanceof BatchNotWritten) return { ...run.committed, stopped: { atLine: e.atLine, error: e.error } };
    throw e;
  }
}
async function importCsv(input, deps, options) {
  const run = new ImportRun(deps, {
    dryRun: options.dryRun,
    now: options.now,
    batchSize: options.batchSize ?? BATCH,
    on: options.on ?? {}
  });
  const parser = csvParser(run);
  const guard = guardFor(run, options.decoding ?? UTF8);
  input.on("error", (e) => parser.destroy(e));
  guard.on("error", (e) => parser.destroy(e));
  input.pipe(guard).pipe(parser);
  const stopped = await stopsOf(run, async () => {
    for await (const item of parser) {
      run.drainSkipped();
      run.record(item);
      if (run.full) await run.flush();
    }
    run.drainSkipped();
  });
  if (stopped) return stopped;
  if (run.header.length === 0)
    return {
      ...run.counts,
      fatal: `the file is empty; the first line must be a header naming the columns, e.g. "${IMPORT_COLUMNS.join(",")}"`
    };
  return await stopsOf(run, () => run.flush()) ?? run.counts;
}
function lineGuard(decoding, onBad) {
  let rest = Buffer.alloc(0);
  let line = 0;
  const guard = (text) => {
    line++;
    if (text.trim() === "") return "";
    if (!text.includes('"')) return text;
    try {
      parseLine(text, { relax_column_count: true, relax_quotes: true, trim: true });
      return text;
    } catch (e) {
      const err = e;
      onBad(
        line,
        err.code === "CSV_QUOTE_NOT_CLOSED" ? "not valid CSV: a quote opens on this line and is not closed on it (a field cannot run on to the next line); close the quote or remove it" : `not valid CSV: ${err.message.replace(/ at line \d+/, "")}`
      );
      return "";
    }
  };
  const undecodable = (bytes) => {
    const read = decoding.decodeLine(bytes);
    if ("text" in read) return guard(read.text);
    line++;
    onBad(line, read.problem);
    return "";
  };
  const lines = (chunk, final) => {
    const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let cut = all.length;
    if (!final) {
      let i = all.length - 1;
      if (all[i] === CR) i--;
      while (i >= 0 && all[i] !== LF && all[i] !== CR) i--;
      cut = i + 1;
    }
    const region = all.subarray(0, cut);
    rest = Buffer.from(all.subarray(cut));
    const text = decoding.decode(region);
    if (text !== void 0) {
      const parts = text.split(/\r\n|\r|\n/);
      if (parts[parts.length - 1] === "") parts.pop();
      return parts.map((p) => `${guard(p)}
`).join("");
    }
    let out = "";
    let from = 0;
    while (from < region.length) {
      let to = from;
      while (to < region.length && region[to] !== LF && region[to] !== CR) to++;
      out += `${undecodable(region.subarray(from, to))}
`;
      from = to < region.length && region[to] === CR && region[to + 1] === LF ? to + 2 : to + 1;
    }
    return out;
  };
  return new Transform({
    transform(chunk, _encoding, done) {
      try {
        done(null, lines(chunk, false));
      } catch (e) {
        done(e);
      }
    },
    flush(done) {
      try {
        done(null, lines(Buffer.alloc(0), true));
      } catch (e) {
        done(e);
      }
    }
  });
}
var CR = 13;
var LF = 10;
export {
  IMPORT_COLUMNS2 as IMPORT_COLUMNS,
  importCsv
};
//# sourceMappingURL=import.js.map
