import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import { UTF8, type CsvDecoding } from './csv-encoding.ts';
import {
  BatchNotWritten,
  HeaderProblem,
  IMPORT_COLUMNS,
  ImportRun,
  type ImportCounts,
  type ImportDeps,
  type ImportListener,
} from './import-run.ts';

export type { ImportCounts, ImportDeps, ImportLine, ImportListener } from './import-run.ts';
export { IMPORT_COLUMNS } from './import-run.ts';

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

const BATCH = 1000;

/** The streaming CSV parser, its header checked by `run` and the records it skips kept for `run`. */
function csvParser(run: ImportRun) {
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
    columns: (names: string[]) => run.takeHeader(names),
    on_skip: (err, raw) => {
      if (err) run.skippedRaw.push({ err, raw: raw ?? '' });
      return undefined;
    },
  });
}

/** Bad lines before the parser: a data line is rejected, a header that cannot be read stops everything. */
function guardFor(run: ImportRun, decoding: CsvDecoding): Transform {
  return lineGuard(decoding, (line, reason) => {
    if (line > 1) return run.reject(line, reason);
    // A header that cannot be read stops everything before any row is read.
    throw new HeaderProblem(
      reason.startsWith('not valid CSV: ')
        ? `the header line is not valid CSV (${reason.replace(/^not valid CSV: /, '')})`
        : `the header line is ${reason}`,
    );
  });
}

/** Runs `work`, turning the import's own stops into its report (undefined when it finished). */
async function stopsOf(run: ImportRun, work: () => Promise<void>): Promise<ImportReport | undefined> {
  try {
    await work();
    return undefined;
  } catch (e) {
    if (e instanceof HeaderProblem || (e as { cause?: unknown }).cause instanceof HeaderProblem)
      return { ...run.counts, fatal: (e as Error).message };
    if (e instanceof BatchNotWritten) return { ...run.committed, stopped: { atLine: e.atLine, error: e.error } };
    throw e;
  }
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
  const run = new ImportRun(deps, {
    dryRun: options.dryRun,
    now: options.now,
    batchSize: options.batchSize ?? BATCH,
    on: options.on ?? {},
  });
  const parser = csvParser(run);
  const guard = guardFor(run, options.decoding ?? UTF8);
  input.on('error', (e) => parser.destroy(e));
  guard.on('error', (e) => parser.destroy(e));
  input.pipe(guard).pipe(parser);

  const stopped = await stopsOf(run, async () => {
    for await (const item of parser) {
      run.drainSkipped();
      run.record(item as { record: Record<string, string | undefined>; raw: string; info: Info });
      if (run.full) await run.flush();
    }
    run.drainSkipped();
  });
  if (stopped) return stopped;
  if (run.header.length === 0)
    return {
      ...run.counts,
      fatal: `the file is empty; the first line must be a header naming the columns, e.g. "${IMPORT_COLUMNS.join(',')}"`,
    };
  return (await stopsOf(run, () => run.flush())) ?? run.counts;
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
