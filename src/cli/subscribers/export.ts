import { stringify } from 'csv-stringify/sync';
import type { Subscriber } from '../../store/subscribers.ts';
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
    send_time: s.send_time ?? '',
    created_at: iso(s.created_at),
    confirmed_at: iso(s.confirmed_at),
    status_changed_at: iso(s.status_changed_at),
    next_send_at: iso(s.next_send_at),
    last_sent_at: iso(s.last_sent_at),
    cycle: s.cycle,
    consent_at: iso(s.consent_at),
    consent_source: s.consent_source ?? '',
    consent_ip: s.consent_ip ?? '',
    consent_user_agent: s.consent_user_agent ?? '',
  };
}

const exportCommand: LeafCommand = {
  usage: 'newsletter subscribers export [--format csv|json] [--status S]\n\nEverything but internal ids, to stdout.',
  options: { format: { type: 'string' }, status: { type: 'string' } },
  async run({ values }, io) {
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
    const status = statusOption(values.status);
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      const rows: Record<string, string | number>[] = [];
      for await (const s of store.list(status ? { status } : {})) rows.push(exportRow(s));
      if (format === 'json') io.out(JSON.stringify(rows, null, 2));
      else io.out(stringify(rows, { header: true, columns: EXPORT_COLUMNS }).trimEnd());
      return 0;
    });
  },
};

export default exportCommand;
