import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import type { ImportCandidate, ImportOutcome } from '../store/import-batch.ts';
import type { NewSubscriber } from './subscriber-store.ts';
import { checkAddress } from './address.ts';
import { UTF8, type CsvDecoding } from './csv-encoding.ts';
import { checkName } from './names.ts';
import { isValidZone } from './subscriptions.ts';

/** One data line that was not imported, and why. */
export interface ImportLine {
  /** 1-based line in the file. */
  line: number;
  email?: string;
  reason: string;
}

/** Every data line lands in exactly one of the four counts: they add up to `lines`. */
export interface ImportCounts {
  /** Data lines read (the header and blank lines are not counted). */
  lines: number;
  imported: number;
  /** Already on the list, or an earlier line of the file has the same address. */
  existing: number;
  /** On the suppression list (unsubscribed, erased, bounced, complained or removed). */
  suppressed: number;
  /** Not valid: not CSV, not an address, a name with a link in it, an unknown time zone. */
  rejected: number;
}

export interface ImportReport extends ImportCounts {
  /** A problem with the whole file (no usable header): nothing was imported. */
  fatal?: string;
  /**
   * A batch could not be written (a full disk): the import stopped there. The counts are those
   * of the batches committed before it, so they equal the database; `atLine` is the first line
   * of the batch that was not written (it and the lines after it were not imported).
   */
  stopped?: { atLine: number; error: unknown };
}

/** Told of each line left out, as it happens (a long file's problems are never all held in memory). */
export interface ImportListener {
  rejected?(problem: ImportLine): void;
  skipped?(problem: ImportLine, kind: 'existing' | 'suppressed'): void;
  /** After each batch: the counts so far. */
  progress?(counts: Readonly<ImportCounts>): void;
}

/** What the import needs from below: how to build one reader's row, and how to write a batch. */
export interface ImportDeps {
  rowFor(
    address: { email: string; normalized: string },
    input: { name?: string; timezone?: string },
    now: Date,
  ): NewSubscriber;
  writeBatch(candidates: readonly ImportCandidate[], options: { dryRun: boolean }): Promise<ImportOutcome[]>;
}

export const IMPORT_COLUMNS = ['email', 'name', 'timezone'] as const;
const BATCH = 1000;
const SUPPRESSED = 'on the suppression list (unsubscribed, erased, bounced, complained or removed)';

/** Thrown from the header callback: the whole file is refused before any row is read. */
class HeaderProblem extends Error {}

/** A batch the store refused: the import stops, reporting what was committed before it. */
class BatchNotWritten extends Error {
  constructor(
    readonly atLine: number,
    readonly error: unknown,
  ) {
    super('a batch could not be written');
  }
}

interface Pending {
  line: number;
  email: string;
  candidate: ImportCandidate;
}

/**
 * Imports subscribers from CSV with a header row (`email,name,timezone`; name and timezone may
 * be empty or left out), streaming: rows are parsed, checked and written in batches of 1,000,
 * one transaction each, so memory stays flat whatever the file's size. Every data line is
 * accounted for exactly once: imported, skipped as existing, skipped as suppressed, or
 * rejected with its line and reason. Imported readers are active at once (the operator vouches
 * for their consent) and get no welcome. With `dryRun` the same report is made and nothing is
 * written.
 *
 * No column may span lines (an address, a name and a zone have no line breaks), so a record
 * that csv-parse read across several lines (an unclosed quote swallowing the lines after it)
 * is taken apart again and each physical line is read on its own: the line where the quote
 * opened is rejected by its own number, and the lines it swallowed are imported or rejected
 * on their merits.
 */
export async function importCsv(
  input: Readable,
  deps: ImportDeps,
  options: { dryRun: boolean; now: Date; batchSize?: number; on?: ImportListener; decoding?: CsvDecoding },
): Promise<ImportReport> {
  const counts: ImportCounts = { lines: 0, imported: 0, existing: 0, suppressed: 0, rejected: 0 };
  const on = options.on ?? {};
  const batchSize = options.batchSize ?? BATCH;
  let header: string[] = [];
  const zones = new Map<string, boolean>();
  // A dry run writes nothing, so repeats across batches are caught here: 52 bits of each
  // address's hash in a flat table (16 bytes a row; a Set of numbers took ~200 MB at 1M rows).
  const seenInDryRun = options.dryRun ? new NumberSet() : undefined;
  let batch: Pending[] = [];
  // The counts as of the last batch written: what the database holds if a later batch fails.
  let committed: ImportCounts = { ...counts };
  const skippedRaw: { err: CsvError; raw: string }[] = [];

  const reject = (line: number, reason: string, email?: string) => {
    counts.lines++;
    counts.rejected++;
    on.rejected?.({ line, ...(email ? { email } : {}), reason });
  };
  const skip = (p: Pending, kind: 'existing' | 'suppressed', reason: string) => {
    counts[kind]++;
    on.skipped?.({ line: p.line, email: p.email, reason }, kind);
  };

  /** One physical line's record: checked, then queued for the next batch. */
  function accept(record: Record<string, string | undefined>, line: number): void {
    const raw = record.email ?? '';
    const address = checkAddress(raw);
    if (!address.ok) return reject(line, address.reason, raw || undefined);
    const timezone = record.timezone || undefined;
    if (timezone !== undefined) {
      let valid = zones.get(timezone);
      if (valid === undefined) zones.set(timezone, (valid = isValidZone(timezone)));
      if (!valid)
        return reject(
          line,
          `unknown time zone "${timezone}"; use an IANA name like Europe/London, or leave it empty`,
          address.email,
        );
    }
    const name = checkName(record.name);
    if (!name.ok) return reject(line, `the name: ${name.reason}`, address.email);
    counts.lines++;
    const row = deps.rowFor(
      address,
      { ...(name.name ? { name: name.name } : {}), ...(timezone ? { timezone } : {}) },
      options.now,
    );
    batch.push({
      line,
      email: address.email,
      candidate: { row, hash: createHash('sha256').update(address.normalized).digest('hex') },
    });
  }

  /** Lines csv-parse read as one record (or skipped as one): each is read again on its own. */
  function lineByLine(raw: string, lastLine: number, lastIsWhole: boolean): void {
    const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
    const first = lastLine - lines.length + 1;
    lines.forEach((text, i) => {
      const line = first + i;
      if (text.trim() === '') return;
      if (i === lines.length - 1 && !lastIsWhole) {
        return reject(
          line,
          `not valid CSV: this line closes the quote opened on line ${first}, and the rest of it was not read; fix the quote on line ${first} and import this line again`,
        );
      }
      try {
        const records = parseLine(text, {
          columns: header,
          trim: true,
          relax_quotes: true,
          relax_column_count_less: true,
          skip_empty_lines: true,
        }) as Record<string, string>[];
        if (records.length !== 1) return reject(line, 'not valid CSV: this line could not be read as one row');
        accept(records[0]!, line);
      } catch (e) {
        const err = e as CsvError;
        const reason =
          err.code === 'CSV_QUOTE_NOT_CLOSED'
            ? `not valid CSV: a quote opens on this line and is not closed on it${lines.length > 1 ? ` (it ran on to line ${lastLine}; those lines were read one by one)` : ''}; close the quote or remove it`
            : `not valid CSV: ${err.message}`;
        reject(line, reason);
      }
    });
  }

  function drainSkipped(): void {
    for (const { err, raw } of skippedRaw.splice(0)) {
      const lastLine = Number(err.lines);
      const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
      if (lines.length > 1) {
        // A skip that ends in the middle of a line (a quote closed there) dropped the rest of that line.
        lineByLine(raw, lastLine, err.code === 'CSV_QUOTE_NOT_CLOSED' || /\n$/.test(raw));
      } else if (raw.trim() !== '') {
        reject(lastLine, `not valid CSV: ${err.message}`);
      }
    }
  }

  async function flush(): Promise<void> {
    const pending = batch;
    batch = [];
    const firstLine = new Map<string, number>();
    const unique: Pending[] = [];
    for (const p of pending) {
      const normalized = p.candidate.row.emailNormalized;
      const earlier = firstLine.get(normalized);
      if (earlier !== undefined) {
        skip(p, 'existing', `repeats line ${earlier}`);
        continue;
      }
      firstLine.set(normalized, p.line);
      if (seenInDryRun) {
        // 52 bits, never 0 (the table's "empty").
        const key = Number.parseInt(p.candidate.hash.slice(0, 13), 16) || 1;
        if (!seenInDryRun.add(key)) {
          skip(p, 'existing', 'repeats an earlier line');
          continue;
        }
      }
      unique.push(p);
    }
    let outcomes: ImportOutcome[];
    try {
      outcomes = await deps.writeBatch(
        unique.map((p) => p.candidate),
        { dryRun: options.dryRun },
      );
    } catch (e) {
      throw new BatchNotWritten(pending[0]?.line ?? 0, e);
    }
    unique.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === 'added') counts.imported++;
      else if (outcome === 'suppressed') skip(p, 'suppressed', SUPPRESSED);
      else skip(p, 'existing', 'already subscribed (or an earlier line of this file)');
    });
    committed = { ...counts };
    on.progress?.(counts);
  }

  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count_less: true,
    skip_records_with_error: true,
    // A quote inside an unquoted field (O"Brien) is a character, as a spreadsheet writes it.
    relax_quotes: true,
    info: true,
    raw: true,
    columns: (names: string[]) => {
      header = names.map((n) => n.trim().toLowerCase());
      if (!header.includes('email')) {
        throw new HeaderProblem(
          `the first line must be a header naming the columns, e.g. "${IMPORT_COLUMNS.join(',')}" (found "${header.join(',')}")`,
        );
      }
      const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
      if (unknown.length)
        throw new HeaderProblem(
          `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${IMPORT_COLUMNS.join(', ')}`,
        );
      return header;
    },
    on_skip: (err, raw) => {
      if (err) skippedRaw.push({ err, raw: raw ?? '' });
      return undefined;
    },
  });
  const guard = lineGuard(options.decoding ?? UTF8, (line, reason) => {
    if (line > 1) return reject(line, reason);
    // A header that cannot be read stops everything before any row is read.
    throw new HeaderProblem(
      reason.startsWith('not valid CSV: ')
        ? `the header line is not valid CSV (${reason.replace(/^not valid CSV: /, '')})`
        : `the header line is ${reason}`,
    );
  });
  input.on('error', (e) => parser.destroy(e));
  guard.on('error', (e) => parser.destroy(e));
  input.pipe(guard).pipe(parser);

  try {
    for await (const item of parser) {
      drainSkipped();
      const { record, raw, info } = item as { record: Record<string, string | undefined>; raw: string; info: Info };
      if (/\n(?!$)/.test(raw.replace(/\r\n/g, '\n'))) lineByLine(raw, info.lines, true);
      else accept(record, info.lines);
      if (batch.length >= batchSize) await flush();
    }
    drainSkipped();
  } catch (e) {
    if (e instanceof HeaderProblem || (e as { cause?: unknown }).cause instanceof HeaderProblem)
      return { ...counts, fatal: (e as Error).message };
    if (e instanceof BatchNotWritten) return { ...committed, stopped: { atLine: e.atLine, error: e.error } };
    throw e;
  }
  if (header.length === 0)
    return {
      ...counts,
      fatal: `the file is empty; the first line must be a header naming the columns, e.g. "${IMPORT_COLUMNS.join(',')}"`,
    };
  try {
    await flush();
  } catch (e) {
    if (e instanceof BatchNotWritten) return { ...committed, stopped: { atLine: e.atLine, error: e.error } };
    throw e;
  }
  return counts;
}

/**
 * Hands the parser one physical line at a time, each one that holds a quote already checked on
 * its own. csv-parse lets a quoted field run on over line breaks, and after a quote error it
 * may drop the lines that follow (seen with `trim`); no field here may span lines, so a line
 * whose quotes do not close on it is reported here by its own number and replaced by a blank
 * line (blank lines keep the parser's line count and are skipped). A line whose bytes are not
 * valid in the file's encoding (Latin-1 in a file read as UTF-8) is reported the same way, so
 * it never reaches the list as "Jos\uFFFD". Lines are split on the bytes of CR and LF before they
 * are decoded; CR LF and a lone CR become LF, so line numbers are the ones an editor shows; a
 * chunk's last, unfinished line waits for the next chunk.
 */
function lineGuard(decoding: CsvDecoding, onBad: (line: number, reason: string) => void): Transform {
  let rest: Buffer = Buffer.alloc(0);
  let line = 0;
  const guard = (text: string): string => {
    line++;
    if (text.trim() === '') return '';
    if (!text.includes('"')) return text;
    try {
      parseLine(text, { relax_column_count: true, relax_quotes: true, trim: true });
      return text;
    } catch (e) {
      const err = e as CsvError;
      onBad(
        line,
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'not valid CSV: a quote opens on this line and is not closed on it (a field cannot run on to the next line); close the quote or remove it'
          : `not valid CSV: ${err.message.replace(/ at line \d+/, '')}`,
      );
      return '';
    }
  };
  const undecodable = (bytes: Buffer): string => {
    const read = decoding.decodeLine(bytes);
    if ('text' in read) return guard(read.text);
    line++;
    onBad(line, read.problem);
    return '';
  };
  const lines = (chunk: Buffer, final: boolean): string => {
    const all = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    // Whole lines only; a CR at the very end waits, as it may be the first half of CR LF.
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
    if (text !== undefined) {
      const parts = text.split(/\r\n|\r|\n/);
      // The text after the region's last line break: nothing, unless this is the file's end.
      if (parts[parts.length - 1] === '') parts.pop();
      return parts.map((p) => `${guard(p)}\n`).join('');
    }
    // Some bytes are not valid: find the lines that hold them, one line at a time.
    let out = '';
    let from = 0;
    while (from < region.length) {
      let to = from;
      while (to < region.length && region[to] !== LF && region[to] !== CR) to++;
      out += `${undecodable(region.subarray(from, to))}\n`;
      from = to < region.length && region[to] === CR && region[to + 1] === LF ? to + 2 : to + 1;
    }
    return out;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, lines(chunk, false));
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        done(null, lines(Buffer.alloc(0), true));
      } catch (e) {
        done(e as Error);
      }
    },
  });
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * A set of positive whole numbers below 2^53 in one Float64Array (open addressing, linear
 * probing, kept at most half full): 16 bytes an entry, where a Set of a million numbers holds
 * each as its own heap object.
 */
class NumberSet {
  private table = new Float64Array(1 << 16);
  private size = 0;

  /** Adds `key` (> 0); false when it was there already. */
  add(key: number): boolean {
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

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.size = 0;
    for (const key of old) if (key !== 0) this.add(key);
  }
}
