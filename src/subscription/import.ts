import { parse } from 'csv-parse';
import type { SubscriberStore } from '../store/subscribers.ts';
import { addressHash, checkAddress } from './address.ts';
import { isValidZone, type Subscriptions } from './subscriptions.ts';

export interface ImportRowProblem {
  /** 1-based line in the file (the line a record ends on). */
  line: number;
  email?: string;
  reason: string;
}

export interface ImportReport {
  imported: number;
  /** Rows left out on purpose: already subscribed, suppressed, repeated in the file. */
  skipped: ImportRowProblem[];
  /** Rows that could not be read or are not valid; the rest were still imported. */
  rejected: ImportRowProblem[];
  /** A problem with the whole file (no usable header): nothing was imported. */
  fatal?: string;
}

const COLUMNS = ['email', 'name', 'timezone'];

/**
 * Imports subscribers from CSV with a header row (`email,name,timezone`; name and timezone may
 * be empty or left out). Every bad row is reported with its line and reason and the others are
 * imported; suppressed addresses are skipped. Imported readers are active at once (the operator
 * vouches for their consent) and get no welcome: they come from an existing list.
 * With `dryRun` the same report is made and nothing is written.
 */
export async function importCsv(
  text: string,
  deps: { subscriptions: Subscriptions; store: SubscriberStore },
  options: { dryRun: boolean; now: Date },
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: [], rejected: [] };
  let header: string[] = [];
  const records: { record: Record<string, string | undefined>; info: { lines: number } }[] = [];
  // One kind of line break, so the parser's line numbers match what an editor shows.
  const parser = parse(text.replace(/\r\n?/g, '\n'), {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count_less: true,
    skip_records_with_error: true,
    info: true,
    columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
    on_skip: (err) => {
      if (err) report.rejected.push({ line: Number(err.lines), reason: `not valid CSV: ${err.message}` });
    },
  });
  try {
    for await (const r of parser) records.push(r as (typeof records)[number]);
  } catch (e) {
    // An error that ends the file: the rows read before it are still imported.
    const err = e as { message?: string; lines?: number };
    report.rejected.push({ line: err.lines ?? 0, reason: `not valid CSV: ${err.message ?? String(e)}; rows after it were not read` });
  }
  if (!header.includes('email')) {
    return { ...report, fatal: `the first line must be a header naming the columns, e.g. "${COLUMNS.join(',')}" (found "${header.join(',')}")` };
  }
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  if (unknown.length) return { ...report, fatal: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${COLUMNS.join(', ')}` };

  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const raw = record.email ?? '';
    const address = checkAddress(raw);
    if (!address.ok) {
      report.rejected.push({ line, ...(raw ? { email: raw } : {}), reason: address.reason });
      continue;
    }
    const timezone = record.timezone || undefined;
    if (timezone !== undefined && !isValidZone(timezone)) {
      report.rejected.push({ line, email: address.email, reason: `unknown time zone "${timezone}"; use an IANA name like Europe/London, or leave it empty` });
      continue;
    }
    const first = seen.get(address.normalized);
    if (first !== undefined) {
      report.skipped.push({ line, email: address.email, reason: `repeats line ${first}` });
      continue;
    }
    seen.set(address.normalized, line);
    if (options.dryRun) {
      if (await deps.store.suppression(addressHash(address.normalized))) report.skipped.push({ line, email: address.email, reason: 'on the suppression list (unsubscribed, erased, bounced or removed)' });
      else if (await deps.store.byEmail(address.normalized)) report.skipped.push({ line, email: address.email, reason: 'already subscribed' });
      else report.imported++;
      continue;
    }
    const added = await deps.subscriptions.add({ email: address.email, name: record.name, timezone, confirmed: true, welcome: false, source: 'import' }, options.now);
    if (!added.ok) report.rejected.push({ line, email: address.email, reason: added.reason });
    else if (added.outcome === 'suppressed') report.skipped.push({ line, email: address.email, reason: 'on the suppression list (unsubscribed, erased, bounced or removed)' });
    else if (added.outcome === 'exists') report.skipped.push({ line, email: address.email, reason: 'already subscribed' });
    else report.imported++;
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
