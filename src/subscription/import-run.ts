import { createHash } from 'node:crypto';
import type { CsvError, Info } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import type { ImportCandidate, ImportOutcome } from '../store/import-batch.ts';
import { checkAddress } from './address.ts';
import { checkName } from './names.ts';
import type { NewSubscriber } from './subscriber-store.ts';
import { isValidZone } from './zones.ts';

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
const SUPPRESSED = 'on the suppression list (unsubscribed, erased, bounced, complained or removed)';

/** Thrown from the header callback: the whole file is refused before any row is read. */
export class HeaderProblem extends Error {}

/** A batch the store refused: the import stops, reporting what was committed before it. */
export class BatchNotWritten extends Error {
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

export interface ImportOptions {
  dryRun: boolean;
  now: Date;
  batchSize: number;
  on: ImportListener;
}

/**
 * One import under way: every line accounted for once (counted, checked, queued for its batch)
 * and each batch written. `importCsv` feeds it the parser's records; the counts stand for what
 * the database holds as of the last batch written (`committed`).
 */
export class ImportRun {
  readonly counts: ImportCounts = { lines: 0, imported: 0, existing: 0, suppressed: 0, rejected: 0 };
  /** The counts as of the last batch written: what the database holds if a later batch fails. */
  committed: ImportCounts = { ...this.counts };
  header: string[] = [];
  /** Records csv-parse skipped, with their raw text: read again line by line (see `drainSkipped`). */
  readonly skippedRaw: { err: CsvError; raw: string }[] = [];
  private readonly zones = new Map<string, boolean>();
  // A dry run writes nothing, so repeats across batches are caught here: 52 bits of each
  // address's hash in a flat table (16 bytes a row; a Set of numbers took ~200 MB at 1M rows).
  private readonly seenInDryRun: NumberSet | undefined;
  private batch: Pending[] = [];

  constructor(
    private readonly deps: ImportDeps,
    private readonly options: ImportOptions,
  ) {
    this.seenInDryRun = options.dryRun ? new NumberSet() : undefined;
  }

  reject(line: number, reason: string, email?: string): void {
    this.counts.lines++;
    this.counts.rejected++;
    this.options.on.rejected?.({ line, ...(email ? { email } : {}), reason });
  }

  private skip(p: Pending, kind: 'existing' | 'suppressed', reason: string): void {
    this.counts[kind]++;
    this.options.on.skipped?.({ line: p.line, email: p.email, reason }, kind);
  }

  /** The header line's column names, checked: throws HeaderProblem for a file that cannot be imported. */
  takeHeader(names: string[]): string[] {
    const header = names.map((n) => n.trim().toLowerCase());
    this.header = header;
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
  }

  /** One parsed record: a physical line, or several that csv-parse read as one (each read again on its own). */
  record(item: { record: Record<string, string | undefined>; raw: string; info: Info }): void {
    const { record, raw, info } = item;
    if (/\n(?!$)/.test(raw.replace(/\r\n/g, '\n'))) this.lineByLine(raw, info.lines, true);
    else this.accept(record, info.lines);
  }

  get full(): boolean {
    return this.batch.length >= this.options.batchSize;
  }

  private validZone(timezone: string): boolean {
    let valid = this.zones.get(timezone);
    if (valid === undefined) this.zones.set(timezone, (valid = isValidZone(timezone)));
    return valid;
  }

  /** One physical line's record: checked, then queued for the next batch. */
  private accept(record: Record<string, string | undefined>, line: number): void {
    const raw = record.email ?? '';
    const address = checkAddress(raw);
    if (!address.ok) return this.reject(line, address.reason, raw || undefined);
    const timezone = record.timezone || undefined;
    if (timezone !== undefined && !this.validZone(timezone))
      return this.reject(
        line,
        `unknown time zone "${timezone}"; use an IANA name like Europe/London, or leave it empty`,
        address.email,
      );
    const name = checkName(record.name);
    if (!name.ok) return this.reject(line, `the name: ${name.reason}`, address.email);
    this.counts.lines++;
    const row = this.deps.rowFor(
      address,
      { ...(name.name ? { name: name.name } : {}), ...(timezone ? { timezone } : {}) },
      this.options.now,
    );
    this.batch.push({
      line,
      email: address.email,
      candidate: { row, hash: createHash('sha256').update(address.normalized).digest('hex') },
    });
  }

  /** Lines csv-parse read as one record (or skipped as one): each is read again on its own. */
  private lineByLine(raw: string, lastLine: number, lastIsWhole: boolean): void {
    const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
    const first = lastLine - lines.length + 1;
    lines.forEach((text, i) => {
      const line = first + i;
      if (text.trim() === '') return;
      if (i === lines.length - 1 && !lastIsWhole) {
        return this.reject(
          line,
          `not valid CSV: this line closes the quote opened on line ${first}, and the rest of it was not read; fix the quote on line ${first} and import this line again`,
        );
      }
      this.lineAlone(text, line, lines.length > 1 ? lastLine : undefined);
    });
  }

  /** One line of a record read again on its own; `ranTo` is the record's last line when it spanned several. */
  private lineAlone(text: string, line: number, ranTo: number | undefined): void {
    try {
      const records = parseLine(text, {
        columns: this.header,
        trim: true,
        relax_quotes: true,
        relax_column_count_less: true,
        skip_empty_lines: true,
      }) as Record<string, string>[];
      if (records.length !== 1) return this.reject(line, 'not valid CSV: this line could not be read as one row');
      this.accept(records[0]!, line);
    } catch (e) {
      const err = e as CsvError;
      const reason =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `not valid CSV: a quote opens on this line and is not closed on it${ranTo !== undefined ? ` (it ran on to line ${ranTo}; those lines were read one by one)` : ''}; close the quote or remove it`
          : `not valid CSV: ${err.message}`;
      this.reject(line, reason);
    }
  }

  /** The records csv-parse skipped since the last call, each line read again on its own. */
  drainSkipped(): void {
    for (const { err, raw } of this.skippedRaw.splice(0)) {
      const lastLine = Number(err.lines);
      const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
      if (lines.length > 1) {
        // A skip that ends in the middle of a line (a quote closed there) dropped the rest of that line.
        this.lineByLine(raw, lastLine, err.code === 'CSV_QUOTE_NOT_CLOSED' || /\n$/.test(raw));
      } else if (raw.trim() !== '') {
        this.reject(lastLine, `not valid CSV: ${err.message}`);
      }
    }
  }

  /** The batch without repeats: a line whose address an earlier line (of this batch, or of a dry run) has is skipped. */
  private unique(pending: readonly Pending[]): Pending[] {
    const firstLine = new Map<string, number>();
    const unique: Pending[] = [];
    for (const p of pending) {
      const normalized = p.candidate.row.emailNormalized;
      const earlier = firstLine.get(normalized);
      if (earlier !== undefined) {
        this.skip(p, 'existing', `repeats line ${earlier}`);
        continue;
      }
      firstLine.set(normalized, p.line);
      // 52 bits, never 0 (the table's "empty").
      if (this.seenInDryRun && !this.seenInDryRun.add(Number.parseInt(p.candidate.hash.slice(0, 13), 16) || 1)) {
        this.skip(p, 'existing', 'repeats an earlier line');
        continue;
      }
      unique.push(p);
    }
    return unique;
  }

  /** Writes the batch (one transaction) and counts each line's outcome; throws BatchNotWritten. */
  async flush(): Promise<void> {
    const pending = this.batch;
    this.batch = [];
    const unique = this.unique(pending);
    let outcomes: ImportOutcome[];
    try {
      outcomes = await this.deps.writeBatch(
        unique.map((p) => p.candidate),
        { dryRun: this.options.dryRun },
      );
    } catch (e) {
      throw new BatchNotWritten(pending[0]?.line ?? 0, e);
    }
    unique.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === 'added') this.counts.imported++;
      else if (outcome === 'suppressed') this.skip(p, 'suppressed', SUPPRESSED);
      else this.skip(p, 'existing', 'already subscribed (or an earlier line of this file)');
    });
    this.committed = { ...this.counts };
    this.options.on.progress?.(this.counts);
  }
}

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
