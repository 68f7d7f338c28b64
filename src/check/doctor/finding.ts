/**
 * One line of `newsletter doctor`: what was checked, the verdict, and for anything short of ✓
 * what to do, with the exact DNS record to publish where a record is missing or wrong.
 */
export type Verdict = 'ok' | 'warn' | 'fail';

export interface DnsRecord {
  /** The owner name, fully qualified without the trailing dot: `_dmarc.example.org`. */
  name: string;
  type: 'TXT' | 'MX';
  value: string;
}

export interface Finding {
  /** Which check: SPF, DKIM, DMARC, bounce domain, relay, site, end to end. */
  check: string;
  verdict: Verdict;
  message: string;
  /** What to do next; present unless the verdict is ok. */
  fix?: string;
  /** The record to publish (replacing any record of the same kind at that name). */
  record?: DnsRecord;
  /** Lines shown under the finding as they are (the Authentication-Results header). */
  detail?: string[];
}

const MARK: Record<Verdict, string> = { ok: '✓', warn: '⚠', fail: '✗' };

export const ok = (check: string, message: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  verdict: 'ok',
  message,
  ...extra,
});
export const warn = (check: string, message: string, fix: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  verdict: 'warn',
  message,
  fix,
  ...extra,
});
export const fail = (check: string, message: string, fix: string, extra: Partial<Finding> = {}): Finding => ({
  check,
  verdict: 'fail',
  message,
  fix,
  ...extra,
});

/** A TXT value as a zone file takes it: quoted, split into 255-character strings. */
export function zoneValue(record: DnsRecord): string {
  if (record.type !== 'TXT') return record.value;
  const chunks = record.value.match(/.{1,255}/g) ?? [''];
  return chunks.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/** The finding as the terminal shows it: its mark and line, then what to do and the record, indented. */
export function formatFinding(f: Finding): string[] {
  const lines = [`${MARK[f.verdict]} ${f.check}: ${f.message}`];
  if (f.fix) lines.push(`    → ${f.fix}`);
  if (f.record) lines.push(`    publish: ${f.record.name}. ${f.record.type} ${zoneValue(f.record)}`);
  for (const d of f.detail ?? []) lines.push(`    ${d}`);
  return lines;
}

export const failed = (findings: readonly Finding[]) => findings.some((f) => f.verdict === 'fail');
