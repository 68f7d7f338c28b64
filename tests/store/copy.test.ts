import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataTables } from '../../src/store/catalog.ts';
import { migrate, openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';
import { insertSubscribers } from '../delivery/helpers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';

const T = Date.UTC(2026, 2, 2, 19);

/** Every row of every data table, each table ordered by its primary key: what a copy must keep. */
async function contents(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of await dataTables(db)) {
    let q = (db as Kysely<any>).selectFrom(t.name).selectAll(); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const c of t.primaryKey) q = q.orderBy(sql.ref(c));
    out[t.name] = await q.execute();
  }
  return out;
}

/** A store with rows in every table: more subscribers than one batch, gaps in the ids, nulls, long times. */
async function seed(db: Kysely<Database>): Promise<void> {
  const ids = await insertSubscribers(
    db,
    Array.from({ length: 2_345 }, (_, i) => ({
      email: `Reader${i}@Example.org`,
      name: i % 3 ? `Ann ${i} — ü` : null,
      timezone: i % 2 ? 'Europe/London' : null,
      sendTime: i % 5 ? null : '07:30',
      nextSendAt: i % 7 ? T + i : null,
      lastSentAt: i % 4 ? null : T - 8_640_000_000_000 + i,
    })),
  );
  // Gaps: ids are kept as they are, not renumbered.
  await db.deleteFrom('subscribers').where('id', 'in', [ids[10]!, ids[11]!, ids[500]!]).execute();
  const kept = ids.filter((_, i) => ![10, 11, 500].includes(i));
  const deliveries = await db
    .insertInto('deliveries')
    .values(
      kept.slice(0, 1_200).map((id, i) => ({
        subscriber_id: id,
        tip_slug: `tip-${i % 3}`,
        cycle: 0,
        week: (i % 3) + 1,
        state: i % 9 ? 'sent' : 'retry',
        attempts: 1 + (i % 2),
        message_id: `<${id}.${i}@example.org>`,
        created_at: T,
        claimed_at: T,
        sent_at: i % 9 ? T + 1 : null,
        next_attempt_at: i % 9 ? null : T + 900_000,
        last_response: i % 9 ? '250 ok' : "451 try 'later'",
        // The text each sent tip carried (migration 008); null for rows from before it.
        fingerprint: i % 9 ? (i % 2 ? 'a1b2c3d4e5f6' : null) : null,
      })),
    )
    .returning('id')
    .execute();
  await db
    .insertInto('delivery_attempts')
    .values(
      deliveries.map((d, i) => ({
        delivery_id: d.id,
        at: T + i,
        outcome: i % 9 ? 'sent' : 'temporary',
        response: i % 2 ? null : '250 2.0.0 queued',
      })),
    )
    .execute();
  await db
    .insertInto('suppressions')
    .values(
      Array.from({ length: 40 }, (_, i) => ({
        email_hash: `${i.toString(16).padStart(2, '0')}${'ab'.repeat(31)}`,
        reason: 'unsubscribed',
        created_at: T - i,
      })),
    )
    .execute();
  // Readers' answers and anonymous ones (no subscriber): both must survive a copy.
  await db
    .insertInto('feedback')
    .values([
      ...kept.slice(0, 50).map((id, i) => ({
        subscriber_id: id,
        tip_slug: 'stretch',
        answer: i % 3 ? ('yes' as const) : ('no' as const),
        comment: i % 5 ? null : `comment ${i}`,
        created_at: T,
        updated_at: T + i,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        subscriber_id: null,
        tip_slug: 'water',
        answer: 'yes' as const,
        comment: null,
        created_at: T - i,
        updated_at: T - i,
      })),
    ])
    .execute();
  await db
    .insertInto('system_emails')
    .values(
      kept.slice(0, 300).map((id, i) => ({
        subscriber_id: id,
        kind: 'welcome',
        message_id: `<w${i}@example.org>`,
        created_at: T,
        sent_at: i % 2 ? T : null,
      })),
    )
    .execute();
  await db
    .insertInto('bounce_events')
    .values(
      deliveries.slice(0, 50).map((d, i) => ({
        subscriber_id: kept[i]!,
        delivery_id: i % 5 ? d.id : null,
        kind: i % 2 ? 'soft' : 'hard',
        source: 'dsn',
        status: i % 2 ? '4.2.2' : '5.1.1',
        detail: i % 3 ? null : 'smtp; 550 <address>: no such user',
        event_key: `key-${i}`,
        received_at: T + i,
      })),
    )
    .execute();
  // The corrections' ledger: who was told of which correction.
  await db
    .insertInto('correction_deliveries')
    .values(
      kept.slice(0, 30).map((id, i) => ({
        subscriber_id: id,
        tip_slug: 'tip-0',
        correction: i % 2 ? '2026-03-01' : '2026-03-01#2',
        state: i % 3 ? ('sent' as const) : ('retry' as const),
        attempts: 1,
        message_id: `<c${i}@example.org>`,
        created_at: T,
        claimed_at: i % 3 ? null : T,
        sent_at: i % 3 ? T + 5 : null,
        next_attempt_at: i % 3 ? null : T + 60_000,
        last_response: i % 3 ? '250 ok' : null,
      })),
    )
    .execute();
  // The complaint guard's pause and its release with the operator's reason travel with the list.
  await db
    .insertInto('guard_events')
    .values([
      { seq: 1, kind: 'paused', at: T, reason: 'complaint rate 0.4 % (4 of 1,000 delivered) is at or above 0.3 %' },
      { seq: 2, kind: 'released', at: T + 1, reason: 'removed an imported segment' },
    ])
    .execute();
}

describeEachEngine(
  'newsletter db copy',
  (engine) => {
    const pg = useTestStore(engine, { migrate: false });
    const pgUrl = () => (pg.database.kind === 'postgres' ? pg.database.url : '');
    let dir: string;
    let source: Kysely<Database>;
    let original: Record<string, unknown[]>;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'ncw-copy-'));
      source = openDatabase(path.join(dir, 'source.db'));
      await migrate(source);
      await seed(source);
      original = await contents(source);
    });
    afterAll(async () => {
      await source?.destroy();
      await rm(dir, { recursive: true, force: true });
    });

    it('SQLite → PostgreSQL → SQLite keeps every row of every table, ids included', async () => {
      const there = await runCli(['db', 'copy', 'sqlite:source.db', pgUrl()], dir);
      expect(there.stderr).toContain('row count matches');
      expect(there.code).toBe(0);
      expect(there.stdout.split('\n')).toEqual(
        expect.arrayContaining([
          'subscribers            2342',
          'deliveries             1200',
          'delivery_attempts      1200',
          'suppressions           40',
          'system_emails          300',
          'bounce_events          50',
          'feedback               70',
          'correction_deliveries  30',
          'guard_events           2',
        ]),
      );
      expect(Object.keys(original).sort()).toEqual([
        'bounce_events',
        'correction_deliveries',
        'deliveries',
        'delivery_attempts',
        'feedback',
        'guard_events',
        'subscribers',
        'suppressions',
        'system_emails',
      ]);
      expect(await contents(pg.db)).toEqual(original);

      const back = await runCli(
        ['db', 'copy', pgUrl().replace(/^postgres:/, 'postgresql:'), 'sqlite:back/copy.db'],
        dir,
      );
      expect(back.code).toBe(0);
      const copy = openDatabase(path.join(dir, 'back', 'copy.db'));
      try {
        expect(await contents(copy)).toEqual(original);
        // The copy is a working store: the next id follows the largest one copied.
        const [next] = await insertSubscribers(copy, [{ email: 'new@example.org', nextSendAt: null }]);
        expect(next).toBe(Math.max(...(original.subscribers as { id: number }[]).map((s) => s.id)) + 1);
      } finally {
        await copy.destroy();
      }
    });

    it('refuses a target that holds rows, and changes nothing in it', async () => {
      await source.deleteFrom('suppressions').where('email_hash', 'like', '0%').execute();
      const refused = await runCli(['db', 'copy', `sqlite:${path.join(dir, 'source.db')}`, pgUrl()], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/the target is not empty: subscribers \(2342\).*--force/);
      expect(await contents(pg.db)).toEqual(original);
    });

    it('--force replaces the target with the source, and PostgreSQL hands out the next id after the copied ones', async () => {
      const replaced = await runCli(['db', 'copy', 'sqlite:source.db', pgUrl(), '--force'], dir);
      expect(replaced.code).toBe(0);
      const now = await contents(source);
      expect(now.suppressions).toHaveLength(24);
      expect(await contents(pg.db)).toEqual(now);
      const [next] = await insertSubscribers(pg.db, [{ email: 'after-copy@example.org', nextSendAt: null }]);
      expect(next).toBe(Math.max(...(now.subscribers as { id: number }[]).map((s) => s.id)) + 1);
    });

    it('refuses the same database as source and target, however it is spelt', async () => {
      const sqliteSame = await runCli(
        ['db', 'copy', 'sqlite:source.db', `sqlite:${path.join(dir, '.', 'source.db')}`],
        dir,
      );
      expect(sqliteSame.code).toBe(1);
      expect(sqliteSame.stderr).toContain('the same database');
      const localhost = pgUrl().replace('127.0.0.1', 'localhost');
      const pgSame = await runCli(['db', 'copy', pgUrl(), localhost, '--force'], dir);
      expect(pgSame.code).toBe(1);
      expect(pgSame.stderr).toContain('the same database');
    });

    it('refuses a source at another schema version, naming what differs', async () => {
      const stale = openDatabase(path.join(dir, 'stale.db'));
      await sql`create table subscribers (id integer primary key)`.execute(stale);
      await stale.destroy();
      const run = await runCli(['db', 'copy', 'sqlite:stale.db', 'sqlite:out.db'], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/not at this version's schema.*no table deliveries.*newsletter migrate/);
    });

    it('bad usage exits 2; a missing source file or an unreachable server exits 1; passwords are never printed', async () => {
      expect((await runCli(['db', 'copy', 'sqlite:source.db'], dir)).code).toBe(2);
      const bad = await runCli(['db', 'copy', 'mysql://u:hunter2@h/db', 'sqlite:x.db'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toContain('hunter2');
      const missing = await runCli(['db', 'copy', 'sqlite:nope.db', 'sqlite:x.db'], dir);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not exist');
      const down = await runCli(['db', 'copy', 'sqlite:source.db', 'postgres://u:hunter2@127.0.0.1:1/db'], dir);
      expect(down.code).toBe(1);
      expect(`${down.stdout}${down.stderr}`).not.toContain('hunter2');
      expect(down.stderr).toContain('postgres://u:***@127.0.0.1:1/db');
      expect((await runCli(['db', 'copy', '--help'], dir)).stdout).toContain(
        'newsletter db copy <from-url> <to-url> [--force]',
      );
    });
  },
  'postgres',
);
