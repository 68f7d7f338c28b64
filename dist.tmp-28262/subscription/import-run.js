// ../../work/wt/h-studio/src/subscription/import-run.ts
import { createHash } from "node:crypto";
import { parse as parseLine } from "csv-parse/sync";
import { checkAddress } from "./address.js";
import { checkName } from "./names.js";
import { isValidZone } from "./zones.js";
var IMPORT_COLUMNS = ["email", "name", "timezone"];
var SUPPRESSED = "on the suppression list (unsubscribed, erased, bounced, complained or removed)";
var HeaderProblem = class extends Error {
};
var BatchNotWritten = class extends Error {
  constructor(atLine, error) {
    super("a batch could not be written");
    this.atLine = atLine;
    this.error = error;
  }
  atLine;
  error;
};
var ImportRun = class {
  constructor(deps, options) {
    this.deps = deps;
    this.options = options;
    this.seenInDryRun = options.dryRun ? new NumberSet() : void 0;
  }
  deps;
  options;
  counts = { lines: 0, imported: 0, existing: 0, suppressed: 0, rejected: 0 };
  /** The counts as of the last batch written: what the database holds if a later batch fails. */
  committed = { ...this.counts };
  header = [];
  /** Records csv-parse skipped, with their raw text: read again line by line (see `drainSkipped`). */
  skippedRaw = [];
  zones = /* @__PURE__ */ new Map();
  // A dry run writes nothing, so repeats across batches are caught here: 52 bits of each
  // address's hash in a flat table (16 bytes a row; a Set of numbers took ~200 MB at 1M rows).
  seenInDryRun;
  batch = [];
  reject(line, reason, email) {
    this.counts.lines++;
    this.counts.rejected++;
    this.options.on.rejected?.({ line, ...email ? { email } : {}, reason });
  }
  skip(p, kind, reason) {
    this.counts[kind]++;
    this.options.on.skipped?.({ line: p.line, email: p.email, reason }, kind);
  }
  /** The header line's column names, checked: throws HeaderProblem for a file that cannot be imported. */
  takeHeader(names) {
    const header = names.map((n) => n.trim().toLowerCase());
    this.header = header;
    if (!header.includes("email")) {
      throw new HeaderProblem(
        `the first line must be a header naming the columns, e.g. "${IMPORT_COLUMNS.join(",")}" (found "${header.join(",")}")`
      );
    }
    const unknown = header.filter((h) => !IMPORT_COLUMNS.includes(h));
    if (unknown.length)
      throw new HeaderProblem(
        `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; the columns are ${IMPORT_COLUMNS.join(", ")}`
      );
    return header;
  }
  /** One parsed record: a physical line, or several that csv-parse read as one (each read again on its own). */
  record(item) {
    const { record, raw, info } = item;
    if (/\n(?!$)/.test(raw.replace(/\r\n/g, "\n"))) this.lineByLine(raw, info.lines, true);
    else this.accept(record, info.lines);
  }
  get full() {
    return this.batch.length >= this.options.batchSize;
  }
  validZone(timezone) {
    let valid = this.zones.get(timezone);
    if (valid === void 0) this.zones.set(timezone, valid = isValidZone(timezone));
    return valid;
  }
  /** One physical line's record: checked, then queued for the next batch. */
  accept(record, line) {
    const raw = record.email ?? "";
    const address = checkAddress(raw);
    if (!address.ok) return this.reject(line, address.reason, raw || void 0);
    const timezone = record.timezone || void 0;
    if (timezone !== void 0 && !this.validZone(timezone))
      return this.reject(
        line,
        `unknown time zone "${timezone}"; use an IANA name like Europe/London, or leave it empty`,
        address.email
      );
    const name = checkName(record.name);
    if (!name.ok) return this.reject(line, `the name: ${name.reason}`, address.email);
    this.counts.lines++;
    const row = this.deps.rowFor(
      address,
      { ...name.name ? { name: name.name } : {}, ...timezone ? { timezone } : {} },
      this.options.now
    );
    this.batch.push({
      line,
      email: address.email,
      candidate: { row, hash: createHash("sha256").update(address.normalized).digest("hex") }
    });
  }
  /** Lines csv-parse read as one record (or skipped as one): each is read again on its own. */
  lineByLine(raw, lastLine, lastIsWhole) {
    const lines = raw.replace(/\r?\n$/, "").split(/\r?\n/);
    const first = lastLine - lines.length + 1;
    lines.forEach((text, i) => {
      const line = first + i;
      if (text.trim() === "") return;
      if (i === lines.length - 1 && !lastIsWhole) {
        return this.reject(
          line,
          `not valid CSV: this line closes the quote opened on line ${first}, and the rest of it was not read; fix the quote on line ${first} and import this line again`
        );
      }
      this.lineAlone(text, line, lines.length > 1 ? lastLine : void 0);
    });
  }
  /** One line of a record read again on its own; `ranTo` is the record's last line when it spanned several. */
  lineAlone(text, line, ranTo) {
    try {
      const records = parseLine(text, {
        columns: this.header,
        trim: true,
        relax_quotes: true,
        relax_column_count_less: true,
        skip_empty_lines: true
      });
      if (records.length !== 1) return this.reject(line, "not valid CSV: this line could not be read as one row");
      this.accept(records[0], line);
    } catch (e) {
      const err = e;
      const reason = err.code === "CSV_QUOTE_NOT_CLOSED" ? `not valid CSV: a quote opens on this line and is not closed on it${ranTo !== void 0 ? ` (it ran on to line ${ranTo}; those lines were read one by one)` : ""}; close the quote or remove it` : `not valid CSV: ${err.message}`;
      this.reject(line, reason);
    }
  }
  /** The records csv-parse skipped since the last call, each line read again on its own. */
  drainSkipped() {
    for (const { err, raw } of this.skippedRaw.splice(0)) {
      const lastLine = Number(err.lines);
      const lines = raw.replace(/\r?\n$/, "").split(/\r?\n/);
      if (lines.length > 1) {
        this.lineByLine(raw, lastLine, err.code === "CSV_QUOTE_NOT_CLOSED" || /\n$/.test(raw));
      } else if (raw.trim() !== "") {
        this.reject(lastLine, `not valid CSV: ${err.message}`);
      }
    }
  }
  /** The batch without repeats: a line whose address an earlier line (of this batch, or of a dry run) has is skipped. */
  unique(pending) {
    const firstLine = /* @__PURE__ */ new Map();
    const unique = [];
    for (const p of pending) {
      const normalized = p.candidate.row.emailNormalized;
      const earlier = firstLine.get(normalized);
      if (earlier !== void 0) {
        this.skip(p, "existing", `repeats line ${earlier}`);
        continue;
      }
      firstLine.set(normalized, p.line);
      if (this.seenInDryRun && !this.seenInDryRun.add(Number.parseInt(p.candidate.hash.slice(0, 13), 16) || 1)) {
        this.skip(p, "existing", "repeats an earlier line");
        continue;
      }
      unique.push(p);
    }
    return unique;
  }
  /** Writes the batch (one transaction) and counts each line's outcome; throws BatchNotWritten. */
  async flush() {
    const pending = this.batch;
    this.batch = [];
    const unique = this.unique(pending);
    let outcomes;
    try {
      outcomes = await this.deps.writeBatch(
        unique.map((p) => p.candidate),
        { dryRun: this.options.dryRun }
      );
    } catch (e) {
      throw new BatchNotWritten(pending[0]?.line ?? 0, e);
    }
    unique.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === "added") this.counts.imported++;
      else if (outcome === "suppressed") this.skip(p, "suppressed", SUPPRESSED);
      else this.skip(p, "existing", "already subscribed (or an earlier line of this file)");
    });
    this.committed = { ...this.counts };
    this.options.on.progress?.(this.counts);
  }
};
var NumberSet = class {
  table = new Float64Array(1 << 16);
  size = 0;
  /** Adds `key` (> 0); false when it was there already. */
  add(key) {
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    const { table } = this;
    let i = key % table.length;
    while (table[i] !== 0) {
      if (table[i] === key) return false;
      i = i + 1 === table.length ? 0 : i + 1;
    }
    table[i] = key;
    this.size++;
    return true;
  }
  grow() {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.size = 0;
    for (const key of old) if (key !== 0) this.add(key);
  }
};
export {
  BatchNotWritten,
  HeaderProblem,
  IMPORT_COLUMNS,
  ImportRun
};
//# sourceMappingURL=import-run.js.map
