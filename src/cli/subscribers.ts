import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadConfig, readEnv, resolveSecret, type Config } from '../config.ts';
import { createMailer } from '../mailer/create-mailer.ts';
import { loadProject } from '../render/project.ts';
import { migrate, openStore as openDatabase } from '../store/database.ts';
import type { SubscriberStatus } from '../store/schema.ts';
import { createSubscriberStore, type Subscriber, type SubscriberStore } from '../store/subscribers.ts';
import { addressHash, checkAddress } from '../subscription/address.ts';
import { importCsv } from '../subscription/import.ts';
import { senderOf } from '../mailer/headers.ts';
import { createSubscriptions } from '../subscription/subscriptions.ts';
import { UsageError, type Command, type Io } from './command.ts';

const STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed', 'bounced', 'complained'];

const USAGE = [
  'newsletter subscribers <add|list|import|export|remove> ...',
  '',
  '  add EMAIL [--name N] [--timezone Z] [--confirmed]',
  '        adds one reader; without --confirmed they get a confirmation email first,',
  '        with it they are active at once and get the welcome email',
  '  list [--status S]            one line per subscriber',
  '  import FILE.csv [--dry-run]  CSV with a header row: email,name,timezone; imported readers are',
  '        active at once (you vouch for their consent); bad rows are reported by line, the rest',
  '        imported; suppressed and existing addresses are skipped',
  '  export [--format csv|json] [--status S]   everything but internal ids, to stdout',
  '  remove EMAIL                 erases the reader and their deliveries; the address hash stays',
  '        on the suppression list so import and the site do not bring them back',
  '',
  `Statuses: ${STATUSES.join(', ')}.`,
].join('\n');

const allowed: Record<string, string[]> = {
  add: ['name', 'timezone', 'confirmed'],
  list: ['status'],
  import: ['dry-run'],
  export: ['format', 'status'],
  remove: [],
};
const argCount: Record<string, number> = { add: 1, list: 0, import: 1, export: 0, remove: 1 };

async function openStore(config: Config) {
  const db = openDatabase(config.database);
  await migrate(db);
  return { store: createSubscriberStore(db), close: () => db.destroy() };
}

function statusOption(value: unknown): SubscriberStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  return value as SubscriberStatus;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

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

/** The subscription rules with the series' settings and the configured transport. */
async function subscriptionsFor(config: Config, store: SubscriberStore) {
  const project = await loadProject(config);
  const mailer = createMailer(config);
  const subscriptions = createSubscriptions({
    store,
    mailer,
    renderer: project.renderer,
    series: project.series,
    baseUrl: config.baseUrl,
    secret: resolveSecret(config),
    from: senderOf(project.series, config.from),
    defaultTimezone: config.timezone,
  });
  return { subscriptions, mailer };
}

async function add(config: Config, store: SubscriberStore, email: string, values: Record<string, string | boolean | undefined>, io: Io): Promise<number> {
  const { subscriptions, mailer } = await subscriptionsFor(config, store);
  try {
    const confirmed = values.confirmed === true;
    const result = await subscriptions.add(
      { email, name: values.name, timezone: values.timezone, confirmed, welcome: true, source: 'cli' },
      io.now(),
    );
    if (!result.ok) {
      io.err(`${JSON.stringify(email)}: ${result.reason}`);
      return 1;
    }
    if (result.outcome === 'suppressed') {
      io.err(`${email} is on the suppression list (they unsubscribed, were erased, bounced or were removed); they can subscribe again on the site themselves`);
      return 1;
    }
    if (result.outcome === 'exists') {
      io.err(`${email} is already on the list (status ${result.subscriber?.status}); nothing changed`);
      return 1;
    }
    try {
      await result.mail;
    } catch (e) {
      io.err(`${email} was added, but the ${confirmed ? 'welcome' : 'confirmation'} email could not be sent: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    io.out(
      confirmed
        ? `added ${email} as active; welcome sent through ${mailer.describe()}`
        : `added ${email} as pending; confirmation email sent through ${mailer.describe()}`,
    );
    return 0;
  } finally {
    await mailer.close();
  }
}

export const subscribersCommand: Command = {
  name: 'subscribers',
  summary: "operator's tools: add, list, import, export, remove",
  usage: USAGE,
  options: {
    name: { type: 'string' },
    timezone: { type: 'string' },
    confirmed: { type: 'boolean' },
    status: { type: 'string' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals }, io) {
    const [action, arg] = positionals as [string, string | undefined];
    if (!(action in allowed)) throw new UsageError(`unknown action "${action}"; use add, list, import, export or remove`);
    const given = Object.keys(values).filter((k) => values[k] !== undefined);
    const wrong = given.find((k) => !allowed[action]!.includes(k));
    if (wrong) throw new UsageError(`--${wrong} does not apply to "subscribers ${action}"`);
    if (argCount[action] === 1 && arg === undefined) throw new UsageError(`"subscribers ${action}" needs ${action === 'import' ? 'a CSV file' : 'an email address'}`);
    if (argCount[action] === 0 && arg !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
    const status = statusOption(values.status);

    const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
    let text = '';
    if (action === 'import') {
      try {
        text = await readFile(path.resolve(io.cwd, arg!), 'utf8');
      } catch (e) {
        io.err(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
        return 1;
      }
    }
    const { store, close } = await openStore(config);
    try {
      switch (action) {
        case 'add':
          return await add(config, store, arg!, values, io);
        case 'list': {
          let n = 0;
          for await (const s of store.list(status ? { status } : {})) {
            io.out([s.email, s.status, s.name ?? '-', s.timezone ?? `(${config.timezone})`, iso(s.created_at).slice(0, 10)].join('\t'));
            n++;
          }
          const counts = await store.countByStatus();
          io.err(`${n} subscriber${n === 1 ? '' : 's'}${status ? ` ${status}` : ''}; all: ${STATUSES.map((k) => `${counts[k] ?? 0} ${k}`).join(', ')}`);
          return 0;
        }
        case 'export': {
          const rows: Record<string, string | number>[] = [];
          for await (const s of store.list(status ? { status } : {})) rows.push(exportRow(s));
          if (format === 'json') io.out(JSON.stringify(rows, null, 2));
          else io.out(stringify(rows, { header: true, columns: EXPORT_COLUMNS }).trimEnd());
          return 0;
        }
        case 'remove': {
          const address = checkAddress(arg);
          if (!address.ok) throw new UsageError(address.reason);
          const s = await store.byEmail(address.normalized);
          if (!s) {
            const suppressed = await store.suppression(addressHash(address.normalized));
            io.err(suppressed ? `${address.email} is not on the list (its hash is on the suppression list: ${suppressed.reason})` : `${address.email} is not on the list; nothing to remove`);
            return 1;
          }
          await store.suppress(addressHash(address.normalized), 'operator', io.now().getTime());
          await store.remove(s.id);
          io.out(`removed ${s.email} (was ${s.status}): erased with their deliveries; the address hash stays on the suppression list`);
          return 0;
        }
        default: {
          // import
          const { subscriptions, mailer } = await subscriptionsFor(config, store);
          await mailer.close(); // import sends nothing: imported readers come from an existing list
          const report = await importCsv(text, { subscriptions, store }, { dryRun: values['dry-run'] === true, now: io.now() });
          const file = arg!;
          if (report.fatal) {
            io.err(`${file}: ${report.fatal}; nothing was imported`);
            return 1;
          }
          // An address with control characters is shown quoted, so it cannot break the output.
          const shown = (email: string) => (/[\u0000-\u001f\u007f]/.test(email) ? JSON.stringify(email) : email);
          for (const r of report.rejected) io.err(`${file}:${r.line}: ${r.email ? `${shown(r.email)}: ` : ''}${r.reason}`);
          for (const r of report.skipped) io.err(`${file}:${r.line}: skipped ${r.email}: ${r.reason}`);
          const verb = values['dry-run'] ? 'would import' : 'imported';
          io.out(`${verb} ${report.imported}, skipped ${report.skipped.length}, rejected ${report.rejected.length}${values['dry-run'] ? ' (dry run: nothing written)' : ''}`);
          return report.rejected.length ? 1 : 0;
        }
      }
    } finally {
      await close();
    }
  },
};
