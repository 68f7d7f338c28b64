import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../src/store/schema.ts';
import { useTestStore, type TestEngine, type TestStore } from '../support/engines.ts';
import { runCli, type CliRun } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { header, insertSubscribers, type TestSubscriber } from './helpers.ts';

/** The relay tests' world on one engine: a fresh database, the fault relay (the SMTP sink), a project folder, the CLI. */
export interface RelayFixture {
  readonly store: TestStore;
  readonly db: Kysely<Database>;
  readonly sink: SmtpSink;
  readonly tp: TempProject;
  /** `newsletter …` in-process against the engine's database and the sink (pool 2), its clock at `at`. */
  cli(args: string[], at: number, env?: Record<string, string>): Promise<CliRun>;
  /** `newsletter send --at <at>`. */
  send(at: number): Promise<CliRun>;
  readers(subscribers: readonly TestSubscriber[]): Promise<number[]>;
  /** The tips each address got, in order of arrival (the X-Newsletter-Tip header). */
  tipsOf(email: string): (string | undefined)[];
}

/** Made once per describe block; every test starts with empty tables and a relay that takes everything. */
export function useRelayFixture(engine: TestEngine): RelayFixture {
  const store = useTestStore(engine);
  let sink: SmtpSink | undefined;
  let tp: TempProject | undefined;
  const databaseUrl = () => (store.database.kind === 'sqlite' ? `sqlite:${store.database.file}` : store.database.url);
  beforeAll(async () => {
    sink = await startSmtpSink({ parse: false });
    tp = await tempProject({ NEWSLETTER_DATABASE_URL: databaseUrl() });
  });
  afterAll(async () => {
    await sink?.close();
    await tp?.cleanup();
  });
  beforeEach(async () => {
    for (const table of [
      'delivery_attempts',
      'bounce_events',
      'deliveries',
      'suppressions',
      'subscribers',
      'senders',
    ] as const)
      await store.db.deleteFrom(table).execute();
    // Absent before migration 006 (so these tests also run, and fail for the right reasons, on older code).
    await store.db
      .deleteFrom('relay_state')
      .execute()
      .catch(() => undefined);
    sink!.received.length = 0;
    sink!.auths.length = 0;
    sink!.setRule(undefined);
    sink!.setSenderRule(undefined);
    sink!.setDataRule(undefined);
    sink!.setGreeting(undefined);
  });
  const fixture: RelayFixture = {
    store,
    get db() {
      return store.db;
    },
    get sink() {
      return sink!;
    },
    get tp() {
      return tp!;
    },
    cli: (args, at, env = {}) =>
      runCli(
        args,
        tp!.dir,
        { NEWSLETTER_DATABASE_URL: databaseUrl(), NEWSLETTER_SMTP_URL: sink!.url, NEWSLETTER_SMTP_POOL: '2', ...env },
        new Date(at),
      ),
    send: (at) => fixture.cli(['send', '--at', new Date(at).toISOString()], at),
    readers: (subscribers) => insertSubscribers(store.db, subscribers),
    tipsOf: (email) =>
      sink!.received.filter((m) => m.envelopeTo.includes(email)).map((m) => header(m, 'X-Newsletter-Tip')),
  };
  return fixture;
}
