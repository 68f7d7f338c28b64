import { stringify } from 'csv-stringify/sync';
import type { Subscriber } from '../../app.ts';
import { UsageError, type LeafCommand } from '../command.ts';
import { withApp } from '../with-app.ts';
import { iso, statusOption } from './status.ts';

const EXPORT_COLUMNS = [
  'email', 'name', 'status', 'timezone', 'send_time', 'created_at', 'confirmed_at', 'status_changed_at',
  'next_send_at', 'last_sent_at', 'cycle', 'consent_at', 'consent_source', 'consent_ip', 'consent_user_agent',
] as const;

/** A subscriber as the operator sees them: no internal ids. */
function exportRow(s: Subscriber): Record<(typeof EXPORT_COLUMNS)[number], string | number> {
  return {
    email: s.email,
    name: s.name ?? '',
    status: s.status,
    timezone: s.timezone ?? '',
    send_time: s.sendTime ?? '',
    created_at: iso(s.createdAt),
    confirmed_at: iso(s.confirmedAt),
    status_changed_at: iso(s.statusChangedAt),
    next_send_at: iso(s.nextSendAt),
    last_sent_at: iso(s.lastSentAt),
    cycle: s.cycle,
    consent_at: iso(s.consentAt),
    consent_source: s.consentSource ?? '',
    consent_ip: s.consentIp ?? '',
    consent_user_agent: s.consentUserAgent ?? '',
  };
}

/**
 * OWASP's advice against CSV injection: a cell a spreadsheet would read as a formula (it starts
 * with = + - @, a tab or a carriage return) gets a leading apostrophe, so it shows as text. Names
 * and User-Agents come from the public form, so any of them may be `=HYPERLINK(...)`.
 */
export function neutraliseCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const exportCommand: LeafCommand = {
  usage: [
    'newsletter subscribers export [--format csv|json] [--status S]',
    '',
    'Everything but internal ids, to stdout, one reader at a time (any size of list).',
    'CSV is safe to open in a spreadsheet: a cell that starts with = + - @, a tab or a carriage',
    "return (a formula, perhaps typed into the public form) is written with a leading ' so it",
    'shows as text (OWASP CSV injection advice). JSON is written exactly as stored.',
  ].join('\n'),
  options: { format: { type: 'string' }, status: { type: 'string' } },
  async run({ values }, io) {
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
    const status = statusOption(values.status);
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      const readers = store.list(status ? { status } : {});
      if (format === 'json') {
        // A JSON array written a reader at a time, so a long list never sits in memory.
        let first = true;
        for await (const s of readers) {
          io.out(`${first ? '[' : ','}\n  ${JSON.stringify(exportRow(s), null, 2).replace(/\n/g, '\n  ')}`);
          first = false;
        }
        io.out(first ? '[]' : ']');
        return 0;
      }
      io.out(stringify([], { header: true, columns: EXPORT_COLUMNS }).trimEnd());
      for await (const s of readers) {
        const row = exportRow(s);
        const safe = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseCell(v)]));
        io.out(stringify([safe], { columns: EXPORT_COLUMNS }).trimEnd());
      }
      return 0;
    });
  },
};

export default exportCommand;
