import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { ClaimsMade, DeliveryStore } from '../../src/delivery/delivery-store.ts';
import { runPass, type PassSummary } from '../../src/delivery/dispatcher.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { passSettings } from '../../src/delivery/settings.ts';
import { nextLocalSendTime } from '../../src/series/send-time.ts';
import type { Config } from '../../src/config.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { migrate, openStore } from '../../src/store/database.ts';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import { subscriberRow } from '../../src/store/subscriber-rows.ts';
import type { Database, SubscriberStatus } from '../../src/store/schema.ts';
import { newSubscriber } from '../support/rows.ts';
import type { ReceivedMail, SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { useResource } from '../support/use-resource.ts';

export interface TestSubscriber {
  email: string;
  name?: string | null;
  status?: SubscriberStatus;
  timezone?: string | null;
  sendTime?: string | null;
  nextSendAt: number | null;
  lastSentAt?: number | null;
}

/**
 * Subscriber rows written straight into the table (the subscription code that normally creates
 * them is another module's): active and confirmed unless told otherwise. Returns their ids.
 */
export async function insertSubscribers(
  db: Kysely<Database>,
  subscribers: readonly TestSubscriber[],
  at = Date.UTC(2026, 0, 1),
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < subscribers.length; i += 500) {
    const rows = subscribers.slice(i, i + 500).map((s) =>
      subscriberRow(
        newSubscriber(s.email, at, {
          name: s.name ?? null,
          status: s.status ?? 'active',
          timezone: s.timezone ?? null,
          sendTime: s.sendTime ?? null,
          consentSource: 'cli',
          confirmedAt: at,
          nextSendAt: s.nextSendAt,
          lastSentAt: s.lastSentAt ?? null,
        }),
      ),
    );
    const inserted = await db.insertInto('subscribers').values(rows).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** A reader in a zone: `zone` is where `timezone` (null: NEWSLETTER_TIMEZONE) puts them. */
export interface ZonedReader {
  email: string;
  timezone: string | null;
  zone: string;
  sendTime?: string | null;
  /** Their local send time: `sendTime`, or the series' 19:00. */
  time?: string;
}

/** Readers as confirmation leaves them: each due at their first local send time after `start`. */
export function insertZonedReaders(
  db: Kysely<Database>,
  readers: readonly ZonedReader[],
  start: number,
): Promise<number[]> {
  return insertSubscribers(
    db,
    readers.map((r) => ({
      email: r.email,
      timezone: r.timezone,
      sendTime: r.sendTime ?? null,
      nextSendAt: nextLocalSendTime(new Date(start), r.zone, r.time ?? '19:00').getTime(),
    })),
  );
}

export async function openTestDatabase(config: Config): Promise<Kysely<Database>> {
  const db = openStore(config.database);
  await migrate(db);
  return db;
}

/**
 * One pass against the test database, with a deterministic claim clock (`now` itself); `extra`
 * sets what a test varies (a broken renderer, a stop signal, a batch size, a start point).
 */
export function pass(
  db: Kysely<Database>,
  mailer: Mailer,
  project: Project,
  config: Config,
  now: Date | number,
  extra: Partial<Parameters<typeof runPass>[0]> = {},
): Promise<PassSummary> {
  const at = new Date(now);
  return runPass({
    store: kyselyDeliveryStore(db),
    mailer,
    renderer: project.renderer,
    series: project.series,
    tips: project.tips,
    now: at,
    settings: passSettings(config),
    clock: () => at.getTime(),
    ...extra,
  });
}

export { loadProject };

/** A group commit that went through; a refused one fails the test with the database's error. */
export async function claimsMade(
  store: Pick<DeliveryStore, 'claimMany'>,
  ...args: Parameters<DeliveryStore['claimMany']>
): Promise<ClaimsMade> {
  const outcome = await store.claimMany(...args);
  if ('failed' in outcome) throw outcome.failed;
  return outcome;
}

/** A tip file as an editor would write it. */
export async function writeTip(
  dir: string,
  file: string,
  fm: { title: string; week: number; draft?: boolean },
): Promise<void> {
  const text = [
    '---',
    `title: ${JSON.stringify(fm.title)}`,
    `week: ${fm.week}`,
    ...(fm.draft ? ['draft: true'] : []),
    'sources:',
    '  - title: "NHS: Leg cramps"',
    '    url: https://www.nhs.uk/conditions/leg-cramps/',
    '---',
    `A short tip called ${fm.title}.`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'content', 'tips', file), text);
}

/** A header of a received message, from mailparser's parse or, for unparsed (fast) sinks, the raw text. */
export function header(mail: ReceivedMail, name: string): string | undefined {
  if (mail.parsed) {
    const v = mail.parsed.headers.get(name.toLowerCase());
    if (v !== undefined) return typeof v === 'string' ? v : JSON.stringify(v);
  }
  const head = mail.raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return m?.[1]?.trim();
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/**
 * A temp project whose config sends to the sink through a pool of `pool` connections. Its mailer
 * comes from the production factory (`createMailer(config)`: the pool in a worker thread), so
 * tests send exactly as `newsletter send` and the scheduler do.
 */
export async function sinkProject(
  sinkUrl: string,
  pool: number,
  env: Record<string, string> = {},
): Promise<{ tp: TempProject; mailer: Mailer }> {
  const tp = await tempProject({ NEWSLETTER_SMTP_URL: sinkUrl, NEWSLETTER_SMTP_POOL: String(pool), ...env });
  return { tp, mailer: createMailer(tp.config) };
}

/** A temp project, its migrated database, the production mailer to the sink, and the loaded project. */
export interface DeliveryFixture {
  tp: TempProject;
  db: Kysely<Database>;
  mailer: Mailer;
  project: Project;
  close(): Promise<void>;
}

export async function openDeliveryFixture(sinkUrl: string, pool: number): Promise<DeliveryFixture> {
  const { tp, mailer } = await sinkProject(sinkUrl, pool);
  const db = await openTestDatabase(tp.config);
  const project = await loadProject(tp.config);
  return {
    tp,
    db,
    mailer,
    project,
    async close() {
      await mailer.close();
      await db.destroy();
      await tp.cleanup();
    },
  };
}

/**
 * A fresh DeliveryFixture for each test of the enclosing describe (or, with `each: false`, one
 * for all its tests, for a story told test by test), sending to `sink` with its received list
 * and rules cleared first, so no test sees another's mail or refusals.
 */
export function useDeliveryFixture(
  sink: SmtpSink,
  pool: number,
  { each = true }: { each?: boolean } = {},
): DeliveryFixture {
  return useResource(
    () => {
      sink.received.length = 0;
      sink.setRule(undefined);
      sink.setSenderRule(undefined);
      return openDeliveryFixture(sink.url, pool);
    },
    (fixture) => fixture.close(),
    { each },
  );
}
